/// The outcome class of one sandboxed run.
public enum SandboxVerdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// Exited with status 0.
    case passed
    /// Exited nonzero or died of a signal (an uncaught exception, a failed assertion, a crash).
    case failed
    /// Ran out of wall-clock or CPU time.
    case timeout
    /// Ran out of address space (Python's MemoryError) .
    case memoryExceeded
    /// Wrote more than the output cap.
    case outputLimit
    /// The sandbox itself could not run the program (bubblewrap refused, the interpreter is
    /// missing, the caller cancelled the run, …). Never the program's fault; report it, do not
    /// count it as a wrong answer.
    case sandboxError
}

/// Everything one run produced.
public struct SandboxResult: Sendable, Hashable, Codable {
    public var verdict: SandboxVerdict
    /// How the process ended, as seen from outside the sandbox; `nil` when it never started.
    /// Under bubblewrap a program killed by signal N is reported as exit status 128 + N.
    public var termination: ProcessTermination?
    /// Captured standard output, decoded as UTF-8 with invalid bytes replaced, at most
    /// ``SandboxLimits/outputBytes`` bytes.
    public var stdout: String
    public var stderr: String
    /// Wall-clock seconds, spawn to reap.
    public var seconds: Double
    /// Why the sandbox failed, for ``SandboxVerdict/sandboxError``.
    public var sandboxMessage: String?

    public init(
        verdict: SandboxVerdict,
        termination: ProcessTermination?,
        stdout: String,
        stderr: String,
        seconds: Double,
        sandboxMessage: String? = nil
    ) {
        self.verdict = verdict
        self.termination = termination
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.sandboxMessage = sandboxMessage
    }
}

extension SandboxResult {
    /// Classifies a finished process. Order matters: what *we* did to the process (timeout, output
    /// kill) decides first, then what the kernel did (SIGXCPU is a CPU timeout), then the program's
    /// own report (a MemoryError traceback), then the exit status.
    static func classify(_ outcome: ProcessOutcome, isolation: SandboxIsolation) -> SandboxResult {
        let stdout = String(decoding: outcome.stdout, as: UTF8.self)
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        func result(_ verdict: SandboxVerdict, _ message: String? = nil) -> SandboxResult {
            SandboxResult(
                verdict: verdict, termination: outcome.termination, stdout: stdout, stderr: stderr,
                seconds: outcome.seconds, sandboxMessage: message)
        }
        if outcome.cancelled { return result(.sandboxError, "cancelled") }
        if outcome.timedOut { return result(.timeout) }
        if outcome.outputExceeded { return result(.outputLimit) }
        let signal: Int32?
        switch outcome.termination {
        case .signaled(let number): signal = number
        case .exited(let status) where isolation == .bubblewrap && status > 128: signal = status - 128
        case .exited: signal = nil
        }
        if signal == SIGXCPU_NUMBER { return result(.timeout) }
        if stderr.split(separator: "\n").last?.hasPrefix("MemoryError") == true { return result(.memoryExceeded) }
        if case .exited(0) = outcome.termination { return result(.passed) }
        if isolation == .bubblewrap, case .exited(1) = outcome.termination, stderr.hasPrefix("bwrap: ") {
            let line = stderr.split(separator: "\n").first.map(String.init) ?? stderr
            return result(.sandboxError, line)
        }
        return result(.failed)
    }
}

/// SIGXCPU on Linux (x86-64 and arm64).
let SIGXCPU_NUMBER: Int32 = 24
