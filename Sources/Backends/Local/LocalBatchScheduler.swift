import Foundation
import LLM

/// Gathers requests for the local engine into batches and runs one generation at a time off the
/// Swift concurrency pool (generation is long, blocking CPU work; the engine parallelises inside).
///
/// Whenever the engine is free, the oldest waiting job starts, together with the waiting jobs
/// that may share its batch (``Job/batchable`` and the same generation settings) up to `maxBatch`
/// sequences. Each job gets exactly its own results, whatever else shared the batch.
actor LocalBatchScheduler {
    struct Job: Sendable {
        var prompts: [[Int]]
        var parameters: GenerationParameters
        var batchable: Bool
    }

    private struct Waiting {
        var job: Job
        var continuation: CheckedContinuation<[GenerationResult], any Error>
    }

    private let maxBatch: Int
    private var waiting: [Waiting] = []
    private var running = false

    init(maxBatch: Int) { self.maxBatch = maxBatch }

    func submit(_ job: Job, engine: LanguageModel) async throws -> [GenerationResult] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(job: job, continuation: continuation))
            if !running {
                running = true
                Task { await self.drain(engine: engine) }
            }
        }
    }

    private func drain(engine: LanguageModel) async {
        while !waiting.isEmpty {
            // Requests sent together (a batch helper starting its tasks, or refilling its slots as a
            // batch ends) arrive over a few milliseconds: wait that long for a fuller batch, which
            // costs nothing next to a generation.
            if waiting.count < maxBatch, waiting[0].job.batchable {
                try? await Task.sleep(for: .milliseconds(5))
            }
            let batch = takeBatch()
            let prompts = batch.flatMap(\.job.prompts)
            let parameters = batch[0].job.parameters
            let outcome: Result<[GenerationResult], any Error> = await withCheckedContinuation { done in
                DispatchQueue.global(qos: .userInitiated).async {
                    done.resume(returning: Result { try engine.generateBatch(prompts: prompts, parameters: parameters) })
                }
            }
            var offset = 0
            for member in batch {
                let count = member.job.prompts.count
                switch outcome {
                case .success(let results):
                    member.continuation.resume(returning: Array(results[offset..<offset + count]))
                case .failure(let error):
                    member.continuation.resume(
                        throwing: BackendError(.requestRejected, "the local engine failed: \(error)"))
                }
                offset += count
            }
        }
        running = false
    }

    /// The oldest job and the compatible jobs behind it, removed from the queue.
    private func takeBatch() -> [Waiting] {
        let first = waiting.removeFirst()
        guard first.job.batchable else { return [first] }
        var batch = [first]
        var sequences = first.job.prompts.count
        var index = 0
        while index < waiting.count, sequences < maxBatch {
            let candidate = waiting[index]
            if candidate.job.batchable, candidate.job.parameters == first.job.parameters,
                sequences + candidate.job.prompts.count <= maxBatch
            {
                batch.append(waiting.remove(at: index))
                sequences += candidate.job.prompts.count
            } else {
                index += 1
            }
        }
        return batch
    }
}
