import Foundation
import Testing

@testable import Backends

/// A deterministic generator (SplitMix64) so jitter tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(100), maxDelay: .seconds(2))

    @Test("the back-off cap doubles per retry up to the maximum")
    func capDoubles() {
        #expect(policy.backoffCap(beforeRetry: 0) == .milliseconds(100))
        #expect(policy.backoffCap(beforeRetry: 1) == .milliseconds(200))
        #expect(policy.backoffCap(beforeRetry: 3) == .milliseconds(800))
        #expect(policy.backoffCap(beforeRetry: 5) == .seconds(2))
        #expect(policy.backoffCap(beforeRetry: 500) == .seconds(2))
    }

    @Test("full jitter spreads waits over the whole range below the cap")
    func fullJitter() throws {
        var generator = SeededGenerator(state: 42)
        let waits = (0..<2000).map { _ in policy.delay(beforeRetry: 2, retryAfter: nil, using: &generator)! }
        #expect(waits.allSatisfy { $0 >= .zero && $0 <= .milliseconds(400) })
        // Full jitter, not "cap/2 + jitter": a good share of waits fall in the lowest quarter.
        let low = waits.filter { $0 < .milliseconds(100) }.count
        let high = waits.filter { $0 > .milliseconds(300) }.count
        #expect(low > 350 && high > 350)
    }

    @Test("a Retry-After from the server is a floor on the wait")
    func retryAfterIsFloor() {
        var generator = SeededGenerator(state: 7)
        for _ in 0..<100 {
            let wait = policy.delay(beforeRetry: 0, retryAfter: .seconds(3), using: &generator)!
            #expect(wait == .seconds(3))
        }
        let short = policy.delay(beforeRetry: 4, retryAfter: .milliseconds(1), using: &generator)!
        #expect(short >= .milliseconds(1) && short <= .seconds(1.6))
    }

    @Test("a Retry-After longer than the policy honours gives up instead of stalling")
    func retryAfterTooLong() {
        var generator = SeededGenerator(state: 1)
        let patient = RetryPolicy(maxRetryAfter: .seconds(60))
        #expect(patient.delay(beforeRetry: 0, retryAfter: .seconds(61), using: &generator) == nil)
        #expect(patient.delay(beforeRetry: 0, retryAfter: .seconds(60), using: &generator) == .seconds(60))
    }
}

@Suite("Retry-After header")
struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test("reads delay-seconds")
    func seconds() {
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(" 0 ") == .zero)
        #expect(RetryAfter.parse("1.5") == .seconds(1.5))
        #expect(RetryAfter.parse("-3") == nil)
    }

    @Test("reads the three HTTP-date forms of RFC 9110")
    func httpDates() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:50:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:39 1994", now: now) == .seconds(2))
    }

    @Test("a date in the past means retry now, and garbage means no hint")
    func pastAndGarbage() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("", now: now) == nil)
    }
}
