import Foundation
import LLM
import Synchronization
import Tensor

/// Runs the local engine's requests with continuous batching: one worker thread owns a
/// ``ContinuousBatch`` and, between forward steps, gives every free slot to the oldest waiting
/// sequence, so a request starts as soon as any running one finishes — never wave by wave behind the
/// longest answer of a batch.
///
/// Any requests may share the batch: each sequence samples with its own seed (`seed + i` for the
/// i-th choice of a request), so its answer depends only on its own request (up to fp32 rounding of
/// batched products). Each job gets exactly its own results, in order.
final class LocalBatchScheduler: Sendable {
    struct Job: Sendable {
        var prompts: [[Int]]
        var parameters: GenerationParameters
    }

    /// One request in flight: its sequences' results as they finish.
    private final class Pending: @unchecked Sendable {
        let job: Job
        let continuation: CheckedContinuation<[GenerationResult], any Error>
        var results: [GenerationResult?]
        var failed = false
        init(job: Job, continuation: CheckedContinuation<[GenerationResult], any Error>) {
            self.job = job
            self.continuation = continuation
            results = Array(repeating: nil, count: job.prompts.count)
        }
    }

    private struct Queue {
        /// Sequences not yet admitted: the request and the index of the prompt.
        var waiting: [(request: Pending, index: Int)] = []
        var workerRunning = false
    }

    private let maxBatch: Int
    private let capacity: Int
    private let budget: ThreadBudget
    private let queue = Mutex(Queue())

    /// - Parameters:
    ///   - maxBatch: sequences decoding together at most.
    ///   - capacity: positions per sequence (prompt and answer); longer prompts are refused.
    ///   - budget: the threads the worker's forward steps use.
    init(maxBatch: Int, capacity: Int, budget: ThreadBudget) {
        self.maxBatch = max(1, maxBatch)
        self.capacity = max(2, capacity)
        self.budget = budget
    }

    func submit(_ job: Job, engine: LanguageModel) async throws -> [GenerationResult] {
        guard !job.prompts.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let request = Pending(job: job, continuation: continuation)
            let startWorker = queue.withLock { queue in
                queue.waiting += job.prompts.indices.map { (request, $0) }
                defer { queue.workerRunning = true }
                return !queue.workerRunning
            }
            if startWorker {
                let worker = Thread { [self] in budget.run { self.run(engine: engine) } }
                worker.qualityOfService = .userInitiated
                worker.stackSize = 8 << 20
                worker.start()
            }
        }
    }

    /// The worker: admit, step, deliver, until nothing waits or runs.
    private func run(engine: LanguageModel) {
        let batch = ContinuousBatch(engine: engine, slots: maxBatch, capacity: min(capacity, engine.config.maxPositions))
        var owners: [Int: (request: Pending, index: Int)] = [:]
        var nextID = 0
        while true {
            let admitted: [(request: Pending, index: Int)] = queue.withLock { queue in
                let count = min(batch.freeSlotCount, queue.waiting.count)
                let taken = Array(queue.waiting.prefix(count))
                queue.waiting.removeFirst(count)
                if taken.isEmpty, batch.activeCount == 0 { queue.workerRunning = false }
                return taken
            }
            if admitted.isEmpty, batch.activeCount == 0 { return }
            for (request, index) in admitted where !request.failed {
                let parameters = request.job.parameters
                do {
                    try batch.admit(
                        id: nextID, prompt: request.job.prompts[index], parameters: parameters,
                        seed: parameters.seed &+ UInt64(index))
                    owners[nextID] = (request, index)
                    nextID += 1
                } catch {
                    request.failed = true
                    request.continuation.resume(throwing: BackendError(.requestRejected, "the local engine refused the request: \(error)"))
                }
            }
            for finished in batch.step() {
                guard let (request, index) = owners.removeValue(forKey: finished.id), !request.failed else { continue }
                request.results[index] = finished.result
                if request.results.allSatisfy({ $0 != nil }) {
                    request.continuation.resume(returning: request.results.map { $0! })
                }
            }
        }
    }
}
