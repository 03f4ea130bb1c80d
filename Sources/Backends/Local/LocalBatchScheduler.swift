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
///
/// Callers only enqueue and listen (the split llama-server and vLLM keep): a sequence is a
/// ``Ticket`` whose text and result the worker hands back, and whose consumer may leave at any time —
/// a cancelled ticket leaves the queue, or its slot, before the next forward step.
final class LocalBatchScheduler: Sendable {
    struct Job: Sendable {
        var prompts: [[Int]]
        var parameters: GenerationParameters
        /// Token ids whose next-token log-probabilities after each prompt are returned.
        var scored: [Int] = []
    }

    /// One sequence, waiting or running. Its callbacks run on the worker thread, in order: `onText`
    /// for each safe piece of text, then `onFinish` once.
    final class Ticket: Sendable {
        let prompt: [Int]
        let parameters: GenerationParameters
        let seed: UInt64
        /// Token ids whose next-token log-probabilities after the prompt are returned.
        let scored: [Int]
        let onText: @Sendable (String) -> Void
        let onFinish: @Sendable (Result<GenerationResult, any Error>) -> Void
        private let cancelled = Atomic<Bool>(false)

        init(
            prompt: [Int], parameters: GenerationParameters, seed: UInt64, scored: [Int] = [],
            onText: @escaping @Sendable (String) -> Void,
            onFinish: @escaping @Sendable (Result<GenerationResult, any Error>) -> Void
        ) {
            self.prompt = prompt
            self.parameters = parameters
            self.seed = seed
            self.scored = scored
            self.onText = onText
            self.onFinish = onFinish
        }

        /// Asks the worker to drop this sequence: it leaves the queue, or frees its slot at the next step.
        func cancel() { cancelled.store(true, ordering: .relaxed) }
        var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
    }

    /// Sequences waiting for a slot and running in the batch, for a server's metrics.
    struct Load: Sendable, Equatable {
        var waiting: Int
        var running: Int
    }

    private struct Queue {
        var waiting: [Ticket] = []
        var running = 0
        var workerRunning = false
    }

    private let maxBatch: Int
    let capacity: Int
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

    var load: Load { queue.withLock { Load(waiting: $0.waiting.count, running: $0.running) } }

    /// Runs every prompt of `job` and returns their results in order. Cancelling the calling task
    /// drops its sequences from the queue or the batch and throws `CancellationError`.
    func submit(_ job: Job, engine: LanguageModel) async throws -> [GenerationResult] {
        guard !job.prompts.isEmpty else { return [] }
        try Task.checkCancellation()
        let collector = Collector(count: job.prompts.count)
        let tickets = Mutex<[Ticket]>([])
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                collector.continuation = continuation
                let made = job.prompts.enumerated().map { index, prompt in
                    Ticket(
                        prompt: prompt, parameters: job.parameters, seed: job.parameters.seed &+ UInt64(index),
                        scored: job.scored, onText: { _ in }, onFinish: { collector.deliver($0, at: index) })
                }
                tickets.withLock { $0 = made }
                collector.tickets = made
                enqueue(made, engine: engine)
            }
        } onCancel: {
            for ticket in tickets.withLock({ $0 }) { ticket.cancel() }
        }
    }

    /// Puts tickets at the back of the queue, starting the worker when none runs. A ticket cancelled
    /// before this is still answered (with `CancellationError`).
    func enqueue(_ tickets: [Ticket], engine: LanguageModel) {
        let startWorker = queue.withLock { queue in
            queue.waiting += tickets
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

    /// The worker: drop the cancelled, admit, step, deliver, until nothing waits or runs.
    private func run(engine: LanguageModel) {
        let batch = ContinuousBatch(engine: engine, slots: maxBatch, capacity: min(capacity, engine.config.maxPositions))
        var owners: [Int: Ticket] = [:]
        var nextID = 0
        while true {
            let (admitted, dropped): ([Ticket], [Ticket]) = queue.withLock { queue in
                let dropped = queue.waiting.filter(\.isCancelled)
                if !dropped.isEmpty { queue.waiting.removeAll(where: \.isCancelled) }
                let count = min(batch.freeSlotCount, queue.waiting.count)
                let taken = Array(queue.waiting.prefix(count))
                queue.waiting.removeFirst(count)
                queue.running = batch.activeCount + taken.count
                if taken.isEmpty, batch.activeCount == 0 { queue.workerRunning = false }
                return (taken, dropped)
            }
            for ticket in dropped { ticket.onFinish(.failure(CancellationError())) }
            if admitted.isEmpty, batch.activeCount == 0 { return }
            for ticket in admitted {
                do {
                    try batch.admit(
                        id: nextID, prompt: ticket.prompt, parameters: ticket.parameters, seed: ticket.seed,
                        scored: ticket.scored,
                        onText: { piece in
                            ticket.onText(piece)
                            return ticket.isCancelled ? .stop : .more
                        })
                    owners[nextID] = ticket
                    nextID += 1
                } catch {
                    ticket.onFinish(
                        .failure(BackendError(.requestRejected, "the local engine refused the request: \(error)")))
                }
            }
            // A consumer that left frees its slot now: the step skips it and hands it back.
            for (id, ticket) in owners where ticket.isCancelled { batch.cancel(id: id) }
            for finished in batch.step() {
                guard let ticket = owners.removeValue(forKey: finished.id) else { continue }
                if finished.result.finishReason == .cancelled, ticket.isCancelled {
                    ticket.onFinish(.failure(CancellationError()))
                } else {
                    ticket.onFinish(.success(finished.result))
                }
            }
        }
    }

    /// Gathers one job's results; resumes its caller once, with all of them or the first failure.
    /// Touched only by the worker thread after `continuation` is set.
    private final class Collector: @unchecked Sendable {
        var continuation: CheckedContinuation<[GenerationResult], any Error>?
        /// The job's sequences: the rest are dropped when one fails.
        var tickets: [Ticket] = []
        var results: [GenerationResult?]
        init(count: Int) { results = Array(repeating: nil, count: count) }

        func deliver(_ result: Result<GenerationResult, any Error>, at index: Int) {
            guard let continuation else { return }
            switch result {
            case .failure(let error):
                self.continuation = nil
                for ticket in tickets { ticket.cancel() }
                continuation.resume(throwing: error)
            case .success(let value):
                results[index] = value
                if results.allSatisfy({ $0 != nil }) {
                    self.continuation = nil
                    continuation.resume(returning: results.map { $0! })
                }
            }
        }
    }
}
