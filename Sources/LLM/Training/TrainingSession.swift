import ClarifyCore
import Foundation
import Tensor

/// One run of ``SFTTrainer``: the data, the trainable tensors, the optimizer and the run folder,
/// and the loop over optimizer steps.
struct TrainingSession {
    let parameters: TrainingParameters
    let model: LanguageModel
    let run: RunFolder
    let graph: LlamaGraph
    let lora: LoRALayers?
    /// What the optimizer updates, by name (adapter keys, or `transformers` weight names).
    let trainable: [(name: String, tensor: Tensor)]
    var optimizer: AdamW
    let data: TrainingData
    var cursor: BatchCursor
    let totalSteps: Int
    let schedule: LearningRateSchedule
    let metrics: MetricsLog
    var state: TrainingCheckpoint.State
    let padID: Int32
    /// Tokens at the start of every first answer in the training data, skipped by a decision term
    /// with ``TrainingParameters/Decision/skipCommonPrefix`` (0 otherwise).
    let decisionOffset: Int

    init(parameters: TrainingParameters, model: LanguageModel, output: String, resume: Bool) throws {
        self.parameters = parameters
        self.model = model
        run = RunFolder(path: output)
        metrics = MetricsLog(path: run.metrics)
        guard let template = parameters.template.flatMap({ ChatTemplate(named: $0) }) ?? model.chatTemplate else {
            throw TrainingError(
                "\(model.path): no chat template this engine recognises; name one (\(ChatTemplate.names.joined(separator: ", ")))")
        }
        if let scaling = model.config.ropeScaling {
            throw TrainingError(
                "\(model.path): training supports unscaled RoPE only; this model uses \(scaling) (Llama 3.1 style)")
        }
        let encoder = SFTEncoder(
            tokenizer: model.tokenizer, template: template, lastAssistantOnly: parameters.lastAssistantOnly,
            maxLength: parameters.maxLength, overflow: parameters.overflow)
        data = try TrainingData.load(parameters, encoder: encoder)
        // --max-length may exceed the context when every example is shorter; one that is not stops
        // the run before any step, named by file and line.
        let context = model.config.maxPositions
        let beyond = (data.stages.flatMap(\.examples) + data.validation).filter { $0.count > context }
        if let first = beyond.first {
            throw TrainingError(
                "\(first.source): \(first.count) tokens, longer than \(model.path)'s context of \(context) positions"
                    + (beyond.count > 1 ? " (and \(beyond.count - 1) more)" : "")
                    + "; lower --max-length (train.max_length) to \(context) or less to skip or cut such examples")
        }
        if let key = parameters.groupBy, data.stages.allSatisfy({ $0.examples.allSatisfy { $0.group == nil } }) {
            throw TrainingError(
                "--group-by \(key): no training example has a 'metadata.\(key)' string or number to group by "
                    + "(\(data.stages.map(\.file).joined(separator: ", ")))")
        }
        decisionOffset = parameters.decision?.skipCommonPrefix == true ? Self.commonOpening(data.stages.flatMap(\.examples)) : 0
        let plan = BatchPlan(
            seed: parameters.seed, batchSize: parameters.batchSize,
            stageLengths: data.stages.map { $0.examples.map(\.count) }, epochs: parameters.epochs,
            stageGroups: parameters.groupBy == nil ? [] : data.stages.map { $0.examples.map(\.group) })
        totalSteps =
            parameters.steps
            ?? max(1, (plan.microBatchesPerRound + parameters.gradientAccumulation - 1) / parameters.gradientAccumulation)
        guard parameters.warmupSteps <= totalSteps else {
            throw TrainingError("warmup (\(parameters.warmupSteps) steps) is longer than the run (\(totalSteps) steps)")
        }
        schedule = LearningRateSchedule(
            peak: parameters.learningRate, warmupSteps: parameters.warmupSteps, totalSteps: totalSteps,
            decay: parameters.schedule.decay)
        var graph = LlamaGraph(model: model.model, keepQuantized: parameters.keepsBaseQuantized)
        graph.checkpointLayers = parameters.checkpointsLayers(parameterCount: model.config.parameterCount)
        self.graph = graph
        if parameters.fullFineTune {
            lora = nil
            trainable = graph.distinctParameters
            for (_, tensor) in trainable { tensor.requiresGrad = true }
        } else {
            let layers = LoRALayers(config: parameters.loraConfig, model: model.config, seed: parameters.seed)
            lora = layers
            trainable = layers.modules.flatMap {
                [($0.path + ".lora_A.weight", $0.a), ($0.path + ".lora_B.weight", $0.b)]
            }
        }
        optimizer = AdamW(parameters: trainable.map(\.tensor), weightDecay: parameters.weightDecay)
        padID = Int32(model.tokenizer.eosTokenID ?? 0)
        state = TrainingCheckpoint.State(
            step: 0, totalSteps: totalSteps, dataPosition: 0, optimizerSteps: 0, seed: parameters.seed,
            rng: TrainingCheckpoint.rngScheme, tokens: 0)

        try Self.prepare(run, parameters: parameters, resume: resume)
        if resume, let last = TrainingCheckpoint.steps(in: run.checkpoints).last {
            let folder = run.checkpoints + "/" + TrainingCheckpoint.name(step: last)
            state = try TrainingCheckpoint.read(from: folder, trainable: trainable, optimizer: &optimizer, lora: lora)
            state.totalSteps = totalSteps
            try metrics.truncate(after: state.step)
        } else {
            try? FileManager.default.removeItem(atPath: run.metrics)
        }
        cursor = BatchCursor(plan: plan, position: state.dataPosition)
    }

    /// Creates the folder and `training.json`, or on resume checks that the parameters are the same.
    static func prepare(_ run: RunFolder, parameters: TrainingParameters, resume: Bool) throws {
        let fm = FileManager.default
        if let existing = fm.contents(atPath: run.parametersFile) {
            guard resume else {
                throw TrainingError("\(run.path) already holds a run; pass --resume to continue it, or choose another --out")
            }
            let saved: TrainingParameters
            do {
                saved = try JSONDecoder().decode(TrainingParameters.self, from: existing)
            } catch {
                throw TrainingError("\(run.parametersFile): \(error)")
            }
            guard saved == parameters else {
                throw TrainingError(
                    "\(run.parametersFile): the run was started with other options; resume with the same ones")
            }
            try BaseIdentity.check(run)
            return
        }
        try fm.createDirectory(atPath: run.path, withIntermediateDirectories: true)
        try run.writeJSON(BaseIdentity(path: parameters.model), to: run.baseFile)
        try run.writeJSON(parameters, to: run.parametersFile)
    }

    /// The base a run started from: its path and SHA-256 (the asset manifest's for cached models),
    /// so a resume on a changed file is refused instead of mixing two bases in one adapter.
    struct BaseIdentity: Codable, Equatable {
        var path: String
        var sha256: String?

        init(path: String) {
            self.path = path
            sha256 = ModelHash.sha256(of: path)
        }

        /// Refuses to resume `run` when its recorded base differs from the file at the same path now.
        static func check(_ run: RunFolder) throws {
            guard let data = FileManager.default.contents(atPath: run.baseFile) else { return }  // older runs
            let recorded: BaseIdentity
            do {
                recorded = try JSONDecoder().decode(BaseIdentity.self, from: data)
            } catch {
                throw TrainingError("\(run.baseFile): \(error)")
            }
            let now = BaseIdentity(path: recorded.path)
            guard now.sha256 == recorded.sha256 else {
                throw TrainingError(
                    "\(recorded.path) is not the base this run started from (sha256 \(recorded.sha256 ?? "none") "
                        + "in \(run.baseFile), now \(now.sha256 ?? "missing")); resume with the same base, or start a new --out")
            }
        }
    }

    /// The seed of the dropout masks of one micro-batch: a function of the step, so resume repeats them.
    func dropoutSeed(step: Int, microBatch: Int) -> UInt64 {
        SeededGenerator.mix(SeededGenerator.mix(parameters.seed ^ 0xD40_9047) &+ UInt64(step) << 16 &+ UInt64(microBatch))
    }

    /// How many tokens every example's first answer starts with in common (the longest common
    /// prefix of the openings; 0 when they differ at once or no example has an answer).
    static func commonOpening(_ examples: [SFTExample]) -> Int {
        let openings = examples.compactMap { example in example.firstAnswer.map { example.ids[$0...] } }
        guard var prefix = openings.first.map(Array.init) else { return 0 }
        for opening in openings.dropFirst() {
            let shared = zip(prefix, opening).prefix { $0 == $1 }.count
            prefix.removeSubrange(shared...)
            if prefix.isEmpty { break }
        }
        return prefix.count
    }

    /// Right-padded ids and next-token targets (−100 off the answers and on padding) of `examples`,
    /// and, with a ``TrainingParameters/Decision`` term, the targets of the first answers' opening
    /// tokens alone (−100 elsewhere): one array for all of them, or with a balanced term one per
    /// decision (each distinct sequence of covered tokens).
    func batch(_ examples: [SFTExample]) -> MicroBatch {
        let length = examples.map(\.count).max() ?? 0
        var ids = [Int32](repeating: padID, count: examples.count * length)
        var targets = [Int32](repeating: -100, count: examples.count * length)
        var decisions: [MicroBatch.Decision] = []
        var supervised = 0, tokens = 0
        for (row, example) in examples.enumerated() {
            let base = row * length
            tokens += example.count
            for t in 0..<example.count {
                ids[base + t] = example.ids[t]
                if t + 1 < example.count, example.supervised[t + 1] {
                    targets[base + t] = example.ids[t + 1]
                    supervised += 1
                }
            }
            if let decision = parameters.decision, let answer = example.firstAnswer {
                let first = min(answer + decisionOffset, example.count)
                // Position t predicts token t + 1: the opening's tokens first…first+tokens−1, supervised ones only.
                let covered = (first..<min(first + decision.tokens, example.count)).filter { example.supervised[$0] }
                guard !covered.isEmpty else { continue }
                let key = decision.balanced ? covered.map { example.ids[$0] } : []
                let index = decisions.firstIndex { $0.key == key } ?? {
                    decisions.append(.init(key: key, targets: [Int32](repeating: -100, count: examples.count * length)))
                    return decisions.count - 1
                }()
                for next in covered { decisions[index].targets[base + next - 1] = example.ids[next] }
                decisions[index].count += covered.count
            }
        }
        return MicroBatch(
            ids: ids, targets: targets, decisions: decisions, length: length, supervised: supervised, tokens: tokens)
    }
}

/// One micro-batch, ready for the graph.
struct MicroBatch {
    /// The targets of one decision's opening tokens (−100 elsewhere).
    struct Decision {
        /// The covered tokens this decision opens with (empty when the term is not balanced: all
        /// openings in one).
        var key: [Int32]
        var targets: [Int32]
        var count = 0
    }

    var ids: [Int32]
    var targets: [Int32]
    /// The first answers' opening tokens, by decision (empty without a decision term).
    var decisions: [Decision]
    var length: Int
    /// Supervised tokens (targets other than −100).
    var supervised: Int
    var tokens: Int
    var rows: Int { length == 0 ? 0 : ids.count / length }
    /// Opening tokens in `decisions`.
    var decision: Int { decisions.reduce(0) { $0 + $1.count } }
    /// The plain targets, then one array per decision: what ``LlamaGraph/losses`` takes.
    var allTargets: [[Int32]] { [targets] + decisions.map(\.targets) }
}
