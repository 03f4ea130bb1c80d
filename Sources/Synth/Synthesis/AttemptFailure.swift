/// One synthesis attempt that produced no draft for a reason worth counting: the model never
/// gave a readable reply, the backend failed, or verified ambiguity dropped the variant.
///
/// A synthesizer throws it for one attempt; ``SynthesisRun`` records it against the problem
/// (`problems.jsonl`, `manifest.json` → `failures`) and goes on. Any other error stops the run.
public struct AttemptFailure: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Reason: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
        /// Every try of a step returned text the reply parser could not read.
        case malformedOutput = "malformed_output"
        /// The backend failed after its own retries (timeouts, 5xx, a refused request).
        case backendError = "backend_error"
        /// Verified ambiguity: the rewrite's sampled solutions agreed, or the original's disagreed.
        case unverified
        /// Verified ambiguity could not judge (no solution code, a sandbox failure).
        case verificationError = "verification_error"

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
