/// A counting semaphore for async code: at most `limit` holders at once, waiters served first
/// come, first served, and a waiter whose task is cancelled leaves the queue at once with
/// `CancellationError` instead of holding a slot it no longer wants.
///
/// Used by backends to cap requests in flight; a slot is held per attempt, not across retry
/// sleeps, so one request backing off never blocks the others.
actor ConcurrencyLimiter {
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiterID: UInt64 = 0

    init(limit: Int) {
        precondition(limit >= 1, "a concurrency limit must be at least 1")
        available = limit
    }

    /// Waits for a slot. Every successful `acquire` must be paired with one `release`.
    func acquire() async throws {
        if available > 0 {
            available -= 1
            return
        }
        let id = nextWaiterID
        nextWaiterID += 1
        // Races: cancellation may come (a) before the continuation is queued — then the
        // `Task.isCancelled` check inside sees it, since both run on this actor before the
        // cancel handler's hop can; or (b) after — then `cancelWaiter` finds and resumes it.
        // A waiter is resumed exactly once, by `release` or by `cancelWaiter`, whichever
        // removes it from the queue first.
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Gives a slot back, handing it straight to the longest waiter if there is one.
    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    /// Runs `body` holding a slot.
    func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let position = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: position).continuation.resume(throwing: CancellationError())
    }
}
