import Synchronization
import Testing

@testable import Backends

@Suite("Concurrency limiter")
struct ConcurrencyLimiterTests {
    @Test("never more holders than the limit, and waiters get slots in arrival order")
    func limitAndOrder() async throws {
        let limiter = ConcurrencyLimiter(limit: 2)
        try await limiter.acquire()
        try await limiter.acquire()
        let order = Recorder<Int>()
        var waiters: [Task<Void, any Error>] = []
        for number in 0..<4 {
            waiters.append(
                Task {
                    try await limiter.acquire()
                    order.append(number)
                })
            // Each waiter is queued before the next starts.
            try await waitUntil { limiter.waiting == number + 1 }
        }
        #expect(order.all.isEmpty)
        // One slot at a time, so the order of arrival is the order of resumption.
        for served in 1...4 {
            limiter.release()
            try await waitUntil { order.all.count == served }
            #expect(limiter.waiting == 4 - served)
        }
        for waiter in waiters { try await waiter.value }
        #expect(order.all == [0, 1, 2, 3])
    }

    @Test("a cancelled waiter leaves the queue at once and takes no slot")
    func cancelledWaiter() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire()
        let cancelled = Task { try await limiter.acquire() }
        try await waitUntil { limiter.waiting == 1 }
        let next = Task { try await limiter.acquire() }
        try await waitUntil { limiter.waiting == 2 }
        cancelled.cancel()
        // Checked by polling first, so a waiter left in the queue fails the test instead of hanging it.
        guard try await waitUntil({ limiter.waiting == 1 }) else { return }
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        // The one slot goes to the waiter behind the cancelled one, not to nobody.
        limiter.release()
        try await next.value
        limiter.release()
        try await limiter.acquire()
    }

    @Test("a task cancelled before it waits is refused without queueing; a free slot is still taken")
    func cancelledBeforeWaiting() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire()
        let finished = Recorder<Bool>()
        let refused = Task {
            defer { finished.append(true) }
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquire()
        }
        guard try await waitUntil({ !finished.all.isEmpty }) else { return }
        await #expect(throws: CancellationError.self) { try await refused.value }
        #expect(limiter.waiting == 0)
        limiter.release()
        let taken = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquire()
        }
        try await taken.value
    }

    @Test("withSlot gives the slot back when its body throws")
    func slotReturnedOnError() async throws {
        struct Failure: Error {}
        let limiter = ConcurrencyLimiter(limit: 1)
        await #expect(throws: Failure.self) { try await limiter.withSlot { throw Failure() } }
        // Checked before taking the slot again, so a leaked slot fails the test instead of hanging it.
        guard limiter.free == 1 else {
            Issue.record("the slot was not given back")
            return
        }
        let value = try await limiter.withSlot { limiter.free }
        #expect(value == 0 && limiter.free == 1)
    }
}

/// Polls `condition` every millisecond for up to 5 seconds; records an issue and returns false
/// when it never holds.
@discardableResult
private func waitUntil(
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(5)
    while !condition() {
        guard clock.now < deadline else {
            Issue.record("condition never held", sourceLocation: sourceLocation)
            return false
        }
        try await Task.sleep(for: .milliseconds(1))
    }
    return true
}

