import ClarifyCore
import Foundation

/// When and how long to wait before trying a failed request again.
///
/// Exponential back-off with *full jitter* (AWS Architecture Blog, "Exponential Backoff and
/// Jitter"): before retry k (0-based) wait a uniform random time in `0 ... min(maxDelay,
/// baseDelay · 2^k)`. Full jitter spreads a crowd of clients that failed together (64 requests
/// rejected by one 429 burst) instead of sending them back in lock-step. A `Retry-After` from
/// the server is a floor: we never come back sooner than asked.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// Back-off scale: the cap on the first retry's wait.
    public var baseDelay: Duration
    /// The largest back-off cap, however many retries.
    public var maxDelay: Duration
    /// The longest `Retry-After` we honour; a server asking for more fails the request at once
    /// with its message rather than stalling a run for minutes.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 6,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries: every failure is final.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (0 for the first retry), or `nil` when the server's
    /// `Retry-After` exceeds ``maxRetryAfter``.
    public func delay(
        beforeRetry retry: Int,
        retryAfter: Duration?,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        if let retryAfter, retryAfter > maxRetryAfter { return nil }
        let cap = backoffCap(beforeRetry: retry)
        let capSeconds = cap.seconds
        let jittered = capSeconds > 0 ? Double.random(in: 0...capSeconds, using: &generator) : 0
        let backoff = Duration.seconds(jittered)
        guard let retryAfter else { return backoff }
        return max(retryAfter, backoff)
    }

    /// `min(maxDelay, baseDelay · 2^retry)`, computed without overflow for large `retry`.
    public func backoffCap(beforeRetry retry: Int) -> Duration {
        let factor = pow(2.0, Double(min(max(0, retry), 62)))
        let seconds = min(maxDelay.seconds, baseDelay.seconds * factor)
        return .seconds(seconds)
    }
}

/// Parsing of the HTTP `Retry-After` header (RFC 9110 §10.2.3): either a number of seconds or an
/// HTTP-date. The date form is IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`); the obsolete
/// RFC 850 and asctime forms, which recipients must also accept, are parsed too.
public enum RetryAfter {
    /// The wait the header asks for, measured from `now`; `nil` when the value is neither form.
    /// A date in the past means "now" (zero).
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text) { return seconds >= 0 ? .seconds(seconds) : nil }
        if let seconds = Double(text), seconds >= 0, seconds.isFinite { return .seconds(seconds) }
        for formatter in makeFormatters() {
            if let date = formatter.date(from: text) {
                return .seconds(max(0, date.timeIntervalSince(now)))
            }
        }
        return nil
    }

    /// Made per call: `DateFormatter` is not `Sendable`, and the header is rare (a 429 or 503).
    private static func makeFormatters() -> [DateFormatter] {
        [
            "EEE, dd MMM yyyy HH:mm:ss 'GMT'",  // IMF-fixdate
            "EEEE, dd-MMM-yy HH:mm:ss 'GMT'",  // RFC 850
            "EEE MMM d HH:mm:ss yyyy",  // asctime
        ].map { format in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            return formatter
        }
    }
}
