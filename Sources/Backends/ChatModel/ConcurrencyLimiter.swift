import Synchronization

/// A counting semaphore for async code: at most `limit` holders at once, waiters served first
/// come, first served, and a waiter whose task is cancelled leaves the queue at once with
/// `CancellationError` instead of holding a slot it no longer wants.
///
/// Used by backends to cap requests in flight; a slot is held per attempt, not across retry
/// sleeps, so one request backing off never blocks the others.
///
/// A lock, not an actor: taking a free slot and giving one back are a few instructions under a
/// `Mutex` with no suspension, where an actor costs two executor hops per attempt (onto the actor
/// and back off it around the request) and a `Task` per cancelled waiter. Only a caller that finds
/// no free slot suspends.
final class ConcurrencyLimiter: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        /// Suspended callers, oldest first. Short (at most the callers beyond the limit), so
        /// removing from the front of an array is cheap enough.
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(limit: Int) {
        precondition(limit >= 1, "a concurrency limit must be at least 1")
        state = Mutex(State(available: limit))
    }

    /// Waits for a slot. Every successful `acquire` must be paired with one `release`.
    func acquire() async throws {
        let id: UInt64? = state.withLock { state in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        guard let id else { return }
        // Races: the cancel handler may run (a) before the waiter is queued — the task's cancelled
        // flag is set before handlers run, so the `Task.isCancelled` check made under the lock
        // while queueing sees it and the waiter is never queued; or (b) after — then it finds the
        // waiter under the lock and removes it. A waiter is resumed exactly once, by `release` or by
        // the cancel handler, whichever removes it from the queue under the lock first; both resume
        // outside the lock. A slot freed between the first look and queueing is taken at once.
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.available > 0 {
                        state.available -= 1
                        return .success(())
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Gives a slot back, handing it straight to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }

    /// Callers suspended waiting for a slot, for tests.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Slots free now, for tests.
    var free: Int { state.withLock { $0.available } }

    /// Runs `body` holding a slot, in the caller's own context (no executor hop).
    func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }
}
