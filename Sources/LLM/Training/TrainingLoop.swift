import Foundation
import Tensor

extension TrainingSession {
    /// Runs the remaining steps, validating and checkpointing on schedule, then writes the
    /// adapters (or model) and `summary.json`; every step and validation appends a
    /// ``TrainingMetric`` to `metrics.jsonl`.
    mutating func train(progress: (SFTTrainer.Progress) -> SFTTrainer.Control) throws -> TrainingResult {
        let started = Date()
        let firstStep = state.step
        var tokensThisRun = 0
        var stopped = false
        while state.step < totalSteps && !stopped {
            let learningRate = schedule.learningRate(at: state.step)
            let microBatches = (0..<parameters.gradientAccumulation).map { _ in
                let micro = cursor.next()
                return batch(micro.examples.map { data.stages[micro.stage].examples[$0] })
            }
            // The loss of the step is the mean over every supervised token of its micro-batches
            // (what `transformers` computes with `num_items_in_batch`), so each micro-batch's mean
            // is weighted by its share of those tokens before its backward.
            // With a decision term, each micro-batch also adds weight × its share of the step's
            // opening tokens × the mean cross-entropy over them — with a balanced term, per decision:
            // weight / (decisions in the step) × its share of that decision's tokens × their mean.
            let supervised = microBatches.map(\.supervised).reduce(0, +)
            let openings = microBatches.map(\.decision).reduce(0, +)
            let shares = Self.decisionShares(microBatches)
            let decisionWeight = parameters.decision?.weight ?? 0
            var lossSum = 0.0, decisionSum = 0.0
            for (index, micro) in microBatches.enumerated() where micro.supervised > 0 {
                let terms = graph.losses(
                    ids: micro.ids, batch: micro.rows, length: micro.length, targets: micro.allTargets, lora: lora,
                    dropoutSeed: dropoutSeed(step: state.step, microBatch: index))
                lossSum += Double(terms[0].item()) * Double(micro.supervised)
                var objective = terms[0] * (Float(micro.supervised) / Float(supervised))
                for ((d, term), share) in zip(zip(micro.decisions, terms.dropFirst()), shares[index]) {
                    decisionSum += Double(term.item()) * Double(d.count)
                    objective = objective + term * (decisionWeight * share)
                }
                objective.backward()
            }
            var gradientNorm: Float?
            if parameters.maxGradNorm > 0 {
                gradientNorm = clipGradientNorm(optimizer.parameters, maxNorm: parameters.maxGradNorm)
            }
            optimizer.step(learningRate: learningRate)
            optimizer.zeroGrad()
            let stepTokens = microBatches.map(\.tokens).reduce(0, +)
            tokensThisRun += stepTokens
            state.step += 1
            state.dataPosition = cursor.position
            state.optimizerSteps = optimizer.stepCount
            state.tokens += stepTokens
            let loss = supervised > 0 ? lossSum / Double(supervised) : 0
            state.lastLoss = loss

            let elapsed = Date().timeIntervalSince(started)
            let rate = elapsed > 0 ? Double(tokensThisRun) / elapsed : 0
            let stepsDone = state.step - firstStep
            let eta = stepsDone > 0 ? elapsed / Double(stepsDone) * Double(totalSteps - state.step) : nil
            try metrics.append(
                TrainingMetric(
                    step: state.step, loss: loss, learningRate: Double(learningRate), tokens: stepTokens,
                    supervisedTokens: supervised, tokensPerSecond: rate, gradientNorm: gradientNorm.map(Double.init),
                    decisionLoss: openings > 0 ? decisionSum / Double(openings) : nil))
            let report = SFTTrainer.Progress(
                event: .step, step: state.step, totalSteps: totalSteps, loss: loss, learningRate: learningRate,
                tokensPerSecond: rate, eta: eta, validationLoss: state.lastValidationLoss)
            if progress(report) == .stop { stopped = true }

            let last = state.step == totalSteps
            if !data.validation.isEmpty
                && (last || (parameters.validateEvery > 0 && state.step % parameters.validateEvery == 0))
            {
                let (validationLoss, validationDecision) = validate()
                state.lastValidationLoss = validationLoss
                try metrics.append(
                    TrainingMetric(
                        step: state.step, validationLoss: validationLoss, validationDecisionLoss: validationDecision))
                // The best adapter minimises the training objective on the validation set.
                let objective = validationLoss + Double(decisionWeight) * (validationDecision ?? 0)
                if state.bestValidationLoss.map({ objective < $0 }) ?? true {
                    state.bestValidationLoss = objective
                    state.bestStep = state.step
                    if let lora { try RunFolder.replaceFolder(run.adapter) { try lora.adapter.write(to: $0) } }
                }
                var validationReport = report
                validationReport.event = .validation
                validationReport.validationLoss = validationLoss
                validationReport.loss = validationLoss
                if progress(validationReport) == .stop { stopped = true }
            }
            if last || stopped || (parameters.checkpointEvery > 0 && state.step % parameters.checkpointEvery == 0) {
                try TrainingCheckpoint.write(
                    to: run.checkpoints, state: state, trainable: trainable, optimizer: optimizer, lora: lora)
            }
        }
        return try finish(stopped: stopped, tokens: tokensThisRun, seconds: Date().timeIntervalSince(started))
    }

    /// The weight of each micro-batch's decision terms in a step's decision loss, in the order of
    /// their `decisions`: each term's share of its decision's tokens in the step, divided by the
    /// number of decisions in the step. Without balancing there is one decision and the shares are
    /// each micro-batch's share of the step's opening tokens; they sum to 1 either way.
    static func decisionShares(_ microBatches: [MicroBatch]) -> [[Float]] {
        var perDecision: [[Int32]: Int] = [:]
        for micro in microBatches { for d in micro.decisions { perDecision[d.key, default: 0] += d.count } }
        return microBatches.map { micro in
            micro.decisions.map { Float($0.count) / Float(perDecision[$0.key]!) / Float(perDecision.count) }
        }
    }

    /// Mean loss over every supervised token of the validation set (no dropout, no graph), and with
    /// a decision term the mean over the first answers' opening tokens — with a balanced term the
    /// mean over decisions of each one's mean, what training minimises.
    func validate() -> (loss: Double, decision: Double?) {
        let order = data.validation.indices.sorted { data.validation[$0].count > data.validation[$1].count }
        var total = 0.0, count = 0
        var decisionTotals: [[Int32]: (sum: Double, count: Int)] = [:]
        withNoGrad {
            for start in stride(from: 0, to: order.count, by: parameters.batchSize) {
                let rows = order[start..<min(start + parameters.batchSize, order.count)].map { data.validation[$0] }
                let micro = batch(rows)
                guard micro.supervised > 0 else { continue }
                let terms = graph.losses(
                    ids: micro.ids, batch: rows.count, length: micro.length, targets: micro.allTargets, lora: lora)
                total += Double(terms[0].item()) * Double(micro.supervised)
                count += micro.supervised
                for (d, term) in zip(micro.decisions, terms.dropFirst()) {
                    let old = decisionTotals[d.key] ?? (0, 0)
                    decisionTotals[d.key] = (old.sum + Double(term.item()) * Double(d.count), old.count + d.count)
                }
            }
        }
        let decision = decisionTotals.isEmpty
            ? nil : decisionTotals.values.map { $0.sum / Double($0.count) }.reduce(0, +) / Double(decisionTotals.count)
        return (count > 0 ? total / Double(count) : .nan, decision)
    }

    /// Final artefacts and the summary.
    func finish(stopped: Bool, tokens: Int, seconds: Double) throws -> TrainingResult {
        var adapterPath: String?, lastAdapterPath: String?, modelPath: String?
        if let lora {
            try RunFolder.replaceFolder(run.lastAdapter) { try lora.adapter.write(to: $0) }
            lastAdapterPath = run.lastAdapter
            if data.validation.isEmpty || !FileManager.default.fileExists(atPath: run.adapter) {
                try RunFolder.replaceFolder(run.adapter) { try lora.adapter.write(to: $0) }
            }
            adapterPath = run.adapter
        } else {
            try RunFolder.replaceFolder(run.model) { try FullModelWriter.write(graph: graph, model: model, to: $0) }
            modelPath = run.model
        }
        let result = TrainingResult(
            runDirectory: run.path, adapterPath: adapterPath, lastAdapterPath: lastAdapterPath, modelPath: modelPath,
            steps: state.step, totalSteps: totalSteps, stopped: stopped && state.step < totalSteps,
            finalLoss: state.lastLoss, bestValidationLoss: state.bestValidationLoss, bestStep: state.bestStep,
            tokens: tokens, tokensPerSecond: seconds > 0 ? Double(tokens) / seconds : 0, wallSeconds: seconds,
            truncatedExamples: data.truncated, skippedExamples: data.tooLong.count)
        try run.writeJSON(Summary(result: result, state: state, data: data), to: run.summary)
        return result
    }
}

/// `summary.json`: the result plus what the data held.
struct Summary: Encodable {
    var result: TrainingResult
    var state: TrainingCheckpoint.State
    var data: TrainingData

    enum CodingKeys: String, CodingKey {
        case result, examples, stages, validation_examples, total_tokens_trained, last_val_loss, skipped_examples
    }

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(data.stages.map(\.examples.count).reduce(0, +), forKey: .examples)
        try c.encode(data.stages.map { ["name": $0.name, "file": $0.file, "examples": "\($0.examples.count)"] }, forKey: .stages)
        try c.encode(data.validation.count, forKey: .validation_examples)
        try c.encode(state.tokens, forKey: .total_tokens_trained)
        try c.encode(state.lastValidationLoss, forKey: .last_val_loss)
        try c.encode(Array(data.tooLong.prefix(100)), forKey: .skipped_examples)
    }
}
