import ArgumentParser
import ClarifyCore
import Eval
import Foundation
import LLM
import Pipeline
import Tensor

/// `clarifycoder train --model smollm2|PATH --data FILE|MIX_DIR --out RUN_DIR [...]`: maps flags
/// to ``TrainingParameters``, runs ``SFTTrainer`` and draws its progress on standard error.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a model (LoRA, or all weights) on chat data, loss on the answers only.",
        discussion: """
            --data is chat JSONL or a mixture from `clarifycoder mix` (its stages run in order; its \
            validation split is used unless --val is given). The run folder gets training.json, adapter/ \
            (best by validation loss), adapter-last/, checkpoints/, metrics.jsonl, loss.svg and \
            summary.json; see docs/training.md. `--out RUN_DIR --resume` alone continues a run exactly. \
            `--backend trl --emit DIR` trains nothing: it writes the same run as a Hugging Face TRL + PEFT \
            job for GPUs (accelerate configs for one GPU, DDP, FSDP, DeepSpeed ZeRO-3); see docs/scale-out.md.
            """
    )

    @Option(help: "The base: \(ModelArgument.knownNames), a .gguf file or a Hugging Face folder.")
    var model: String = "smollm2"

    @Option(
        name: [.customLong("base-model-id"), .customLong("hf-model")],
        help: "Hugging Face id of the base, written into the adapter and trained by --backend trl (default: a known model's upstream id).")
    var baseModelID: String?

    @Option(help: "Training data: chat JSONL, or a mixture folder / manifest.json from `clarifycoder mix`.")
    var data: String?

    @Option(help: "Validation chat JSONL.")
    var val: String?

    @OptionGroup var lora: LoRAOptions

    @Flag(help: "Train every weight instead of an adapter (small models only).")
    var full = false

    @Option(help: "How LoRA holds the frozen base: quantized (a GGUF's own blocks, no fp32 copy) or float32.")
    var baseWeights: TrainingParameters.BaseWeights = .quantized

    @Option(help: "Recompute layer activations in backward to save memory: auto (on for models of 300M parameters or more), on, off.")
    var checkpointing: TrainingParameters.Checkpointing = .auto

    @Option(help: "Peak learning rate.")
    var lr: Float = 1e-4

    @Option(help: "Passes over the data (when --steps is not given).")
    var epochs: Int?

    @Option(help: "Optimizer steps.")
    var steps: Int?

    @Option(help: "Examples per micro-batch.")
    var batchSize: Int = 4

    @Option(help: "Micro-batches per optimizer step.")
    var gradAccum: Int = 1

    @Option(help: "Longest example in tokens.")
    var maxLength: Int = 1024

    @Option(help: "Examples longer than --max-length: skip, or truncate-prompt (drop prompt tokens from the left).")
    var tooLong: TrainingParameters.Overflow = .skip

    @Flag(help: "Supervise only the last assistant turn of each dialogue.")
    var lastTurnOnly = false

    @Option(help: "Linear warm-up steps.")
    var warmup: Int = 0

    @Option(help: "Decay after warm-up: cosine, linear or constant.")
    var schedule: TrainingParameters.Schedule = .cosine

    @Option(help: "AdamW weight decay.")
    var weightDecay: Float = 0

    @Option(help: "Clip the global gradient norm (0: off).")
    var maxGradNorm: Float = 1

    @Option(help: "Validation every N steps (0: only at the end).")
    var valEvery: Int = 50

    @Option(help: "A checkpoint every N steps (0: only at the end).")
    var checkpointEvery: Int = 100

    @Option(help: "Chat format when the model's own is not recognised: \(ChatTemplate.names.joined(separator: ", ")).")
    var template: String?

    @Option(help: "Weight of an extra loss on the opening tokens of every first answer, where a model decides to ask or to code (0: off).")
    var decisionWeight: Float = 0

    @Option(help: "Opening tokens of each first answer covered by --decision-weight.")
    var decisionTokens: Int = 5

    @Flag(help: "Start the --decision-weight term after the tokens every first answer shares (e.g. 'The requirements are').")
    var decisionSkipPrefix = false

    @Flag(help: "Weigh each decision (e.g. ' clear', ' unclear') equally in the --decision-weight term, whatever their counts.")
    var decisionBalance = false

    @Option(help: "Keep examples with the same metadata value (e.g. problem_id: a clear problem and its rewrites) in one micro-batch.")
    var groupBy: String?

    @Option(help: "Seed of the adapter initialisation, data order and dropout.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Run folder (local backend).")
    var out: String?

    @Option(help: "local (train here) or trl (write a Hugging Face TRL job to --emit; nothing is trained).")
    var backend: TrainBackend = .local

    @Option(help: "With --backend trl: the folder the job is written to (must not exist or be empty).")
    var emit: String?

    @Flag(help: "Continue the run in --out from its newest checkpoint (its training.json supplies omitted options).")
    var resume = false

    func validate() throws {
        switch backend {
        case .local:
            if out == nil { throw ValidationError("--out is required (the run folder)") }
            if emit != nil { throw ValidationError("--emit writes a TRL job; add --backend trl") }
        case .trl:
            if emit == nil { throw ValidationError("--backend trl needs --emit DIR (where the job is written)") }
            if resume { throw ValidationError("--resume continues a local run; a TRL job resumes with `launch.sh --resume`") }
            if full { throw ValidationError("--full: the TRL job trains a LoRA adapter; drop --full or train locally") }
            if out != nil { throw ValidationError("--out names a local run folder; with --backend trl give --emit DIR") }
        }
        if !resume || data != nil { _ = try modelSpec() }
        if epochs != nil && steps != nil { throw ValidationError("give --epochs or --steps, not both") }
        if data == nil && !resume { throw ValidationError("--data is required (unless resuming with --resume)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let template, ChatTemplate(named: template) == nil {
            throw ValidationError("unknown --template \(template); known: \(ChatTemplate.names.joined(separator: ", "))")
        }
        if decisionWeight <= 0 && (decisionSkipPrefix || decisionBalance) {
            throw ValidationError("--decision-skip-prefix and --decision-balance shape the --decision-weight term; give a weight above 0")
        }
    }

    /// `path` made absolute, so training.json stays valid from any working directory.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    func modelSpec() throws -> ModelSpec { try ModelArgument.parse(model, option: "--model", localOnly: true) }

    /// The checkpoint `--model` names (a known name through the asset cache), absolute.
    func modelPath() throws -> String {
        do {
            return Self.absolute(try modelSpec().localPath(role: "--model"))
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandFailure(error)
        }
    }

    /// The parameters of the run: from the flags, or from `--out`'s training.json when resuming without --data.
    func parameters() throws -> TrainingParameters {
        let out = self.out ?? ""
        if resume && data == nil {
            let file = out + "/training.json"
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw ValidationError("\(file): no such file; give --data to start a run")
            }
            do {
                return try JSONDecoder().decode(TrainingParameters.self, from: bytes)
            } catch {
                throw CommandFailure(message: "\(file): \(error)")
            }
        }
        return TrainingParameters(
            model: backend == .trl ? model : try modelPath(), baseModelID: try baseModelID ?? modelSpec().huggingFaceID,
            fullFineTune: full,
            lora: try lora.settings(),
            data: Self.absolute(data!), validation: val.map(Self.absolute), learningRate: lr, schedule: schedule, warmupSteps: warmup, steps: steps,
            epochs: epochs ?? 1, batchSize: batchSize, gradientAccumulation: gradAccum, maxLength: maxLength,
            overflow: tooLong, lastAssistantOnly: lastTurnOnly, seed: seed, weightDecay: weightDecay,
            maxGradNorm: maxGradNorm, validateEvery: valEvery, checkpointEvery: checkpointEvery, template: template,
            decision: decisionWeight > 0 ? .init(
                weight: decisionWeight, tokens: decisionTokens, skipCommonPrefix: decisionSkipPrefix, balanced: decisionBalance) : nil, groupBy: groupBy,
            baseWeights: baseWeights == .quantized ? nil : baseWeights, checkpointing: checkpointing == .auto ? nil : checkpointing)
    }

    func run() throws {
        if backend == .trl { return try emitTRLJob() }
        try ThreadBudget.threads(threads).run(train)
    }

    private func train() throws {
        let out = self.out!
        let parameters = try self.parameters()
        do { try parameters.validate() } catch { throw ValidationError(String(describing: error)) }
        let bar = TrainingProgressLine()
        let result: TrainingResult
        do {
            printError("checking the data, then loading \(parameters.model)")
            result = try SFTTrainer.run(parameters, output: out, resume: resume) { progress in
                bar.draw(progress)
                return .more
            }
            // Beside the trainer's training.json: the same provenance value every manifest carries.
            try Provenance.current(model: parameters.model, modelPath: parameters.model).write(toFolder: out)
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        // The trainer writes metrics only; the run folder's chart is drawn from them by the reports.
        try TrainingLog.writeLossCurve(
            runDirectory: result.runDirectory, title: TrainingLog.lossCurveTitle(parameters))
        var lines = ["trained \(result.steps)/\(result.totalSteps) steps in \(String(format: "%.0f", result.wallSeconds)) s"
            + " (\(String(format: "%.0f", result.tokensPerSecond)) tokens/s)"]
        if let loss = result.finalLoss { lines.append("final loss \(String(format: "%.4f", loss))") }
        if let best = result.bestValidationLoss, let step = result.bestStep {
            lines.append("best validation loss \(String(format: "%.4f", best)) at step \(step)")
        }
        if result.skippedExamples > 0 {
            lines.append("\(result.skippedExamples) example(s) longer than --max-length left out (listed in summary.json)")
        }
        if result.truncatedExamples > 0 { lines.append("\(result.truncatedExamples) example(s) truncated from the left") }
        if let adapter = result.adapterPath { lines.append("adapter: \(adapter)") }
        if let model = result.modelPath { lines.append("model: \(model)") }
        print(lines.joined(separator: "\n"))
    }
}

extension TrainingParameters.Overflow: ExpressibleByArgument {}
extension TrainingParameters.Schedule: ExpressibleByArgument {}
extension TrainingParameters.BaseWeights: ExpressibleByArgument {}
extension TrainingParameters.Checkpointing: ExpressibleByArgument {}

/// The training progress bar: steps, loss, validation loss, learning rate, tokens/s and ETA.
final class TrainingProgressLine {
    private let interactive = isatty(2) != 0
    private var drawn = false
    private var lastPrinted = Date.distantPast

    func draw(_ p: SFTTrainer.Progress) {
        let width = 24
        let filled = p.totalSteps == 0 ? width : min(width, p.step * width / p.totalSteps)
        var line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        line += " \(p.step)/\(p.totalSteps)"
        if p.event == .step { line += " loss \(String(format: "%.4f", p.loss))" }
        if let v = p.validationLoss { line += " val \(String(format: "%.4f", v))" }
        line += " lr \(String(format: "%.2e", p.learningRate)) \(String(format: "%.0f", p.tokensPerSecond)) tok/s"
        if let eta = p.eta { line += " ETA \(Self.duration(eta))" }
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            drawn = true
        } else if p.event == .validation || p.step == p.totalSteps || Date().timeIntervalSince(lastPrinted) > 10 {
            printError(line)
            lastPrinted = Date()
        }
    }

    func finish() {
        if interactive && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : "\(s / 60)m\(String(format: "%02d", s % 60))s"
    }
}
