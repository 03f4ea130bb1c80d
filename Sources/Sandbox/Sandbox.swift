import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A Python program to run: the script and any data files it reads, all placed read-only in one
/// input directory. The script finds its files next to itself (`os.path.dirname(__file__)`).
public struct SandboxProgram: Sendable, Hashable {
    /// The script's source.
    public var source: String
    /// Extra files beside the script, by plain file name.
    public var files: [String: String]
    /// Arguments after the script path.
    public var arguments: [String]

    public init(source: String, files: [String: String] = [:], arguments: [String] = []) {
        self.source = source
        self.files = files
        self.arguments = arguments
    }
}

/// Runs untrusted Python programs, one process tree per run, isolated and resource-limited.
///
/// Layers, outermost first (see docs/sandbox.md for what each one stops):
/// - `setpriv` to an unprivileged uid/gid when we are root, because RLIMIT_NPROC does not bind
///   root — only that makes a fork bomb stop at the process limit;
/// - bubblewrap (`--unshare-all`, `--die-with-parent`, `--new-session`) with only /usr and /etc
///   visible, a size-capped private tmpfs as the working directory, the program's files
///   read-only, the root remounted read-only; or `unshare` when bubblewrap is missing;
/// - resource limits set in the child before exec (CPU, address space, file size, processes,
///   open files, no core dumps), inherited by everything the program starts;
/// - a wall clock and an output cap enforced from outside, by killing the whole process group
///   (under bubblewrap, killing its outer process tears down the pid namespace).
///
/// The environment is scrubbed to a fixed minimal set, so no secret in ours reaches a program.
/// `run` is safe to call concurrently; ``SandboxPool`` bounds how many run at once.
public struct Sandbox: Sendable {
    public let configuration: SandboxConfiguration
    /// The isolation in force, the strongest that worked on this machine within the configured cap.
    public let isolation: SandboxIsolation
    /// One line per weakness of this setup (no bubblewrap, not dropping privileges, …), for the
    /// caller to show: libraries do not print.
    public let warnings: [String]
    let tools: Tools

    struct Tools: Sendable {
        var bwrap: String?
        var unshare: String?
        var setpriv: String?
        var dropPrivileges: Bool
    }

    /// Resolves the isolation (probing bubblewrap and unshare once) and checks the interpreter.
    public init(configuration: SandboxConfiguration = SandboxConfiguration()) throws(SandboxSetupError) {
        self.configuration = configuration
        var info = stat()
        guard stat(configuration.python, &info) == 0 else {
            throw .pythonMissing(configuration.python)
        }
        let isRoot = geteuid() == 0
        if isRoot, info.st_mode & 0o005 != 0o005 {
            throw .pythonNotAccessible(configuration.python)
        }
        var tools = Tools(
            bwrap: Self.findExecutable("bwrap"), unshare: Self.findExecutable("unshare"),
            setpriv: Self.findExecutable("setpriv"), dropPrivileges: false)
        var warnings: [String] = []
        if isRoot {
            if tools.setpriv != nil {
                tools.dropPrivileges = true
            } else {
                warnings.append(
                    "sandbox: running as root without setpriv (util-linux): programs run as root and the "
                        + "process limit does not bind")
            }
        }
        self.tools = tools
        let cap = configuration.isolation ?? .bubblewrap
        var chosen = SandboxIsolation.limitsOnly
        for candidate in [SandboxIsolation.bubblewrap, .unshare] where Self.strength(candidate) <= Self.strength(cap) {
            if Self.probe(candidate, tools: tools, configuration: configuration) {
                chosen = candidate
                break
            }
        }
        switch chosen {
        case .bubblewrap: break
        case .unshare:
            warnings.append(
                "sandbox: bubblewrap unavailable (apt-get install bubblewrap); using unshare: the host file "
                    + "system is visible to programs")
        case .limitsOnly:
            warnings.append(
                "sandbox: neither bubblewrap nor unshare works here; programs run with resource limits only, "
                    + "with network and file system access")
        }
        self.isolation = chosen
        self.warnings = warnings
    }

    /// Runs the program to completion. Never throws: a sandbox failure is the verdict
    /// ``SandboxVerdict/sandboxError`` with a message. Cancelling the task kills the run's
    /// processes within ~50 ms and returns `sandboxError` with the message `cancelled`.
    public func run(_ program: SandboxProgram, limits: SandboxLimits? = nil) async -> SandboxResult {
        let cancellation = CancellationFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // A thread of its own: the run blocks in poll(2) for up to its wall clock. GCD's
                // concurrent queues cap their threads near the core count, which would queue the
                // runs behind one another; the Swift concurrency pool must never block at all.
                let thread = Thread {
                    continuation.resume(returning: runBlocking(program, limits: limits, cancellation: cancellation))
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            cancellation.set()
        }
    }

    /// Blocking form of ``run(_:limits:)`` for callers that own a thread.
    public func runBlocking(_ program: SandboxProgram, limits: SandboxLimits? = nil) -> SandboxResult {
        runBlocking(program, limits: limits, cancellation: nil)
    }

    func runBlocking(_ program: SandboxProgram, limits: SandboxLimits?, cancellation: CancellationFlag?)
        -> SandboxResult
    {
        var result = attempt(program, limits: limits, cancellation: cancellation)
        // bubblewrap fails with EAGAIN before the program starts when the kernel is short of
        // processes or namespaces for a moment (another run's killed processes not yet reaped);
        // the program never ran, so running it again changes nothing but the outcome.
        for pause in Self.retryPauses where Self.isTransientSetupFailure(result) {
            if cancellation?.isSet == true { break }
            usleep(pause)
            result = attempt(program, limits: limits, cancellation: cancellation)
        }
        return result
    }

    /// Microseconds to wait before each new attempt after a transient setup failure.
    static let retryPauses: [UInt32] = [50_000, 200_000, 800_000]

    /// A bubblewrap failure that says the kernel was out of a resource for the moment.
    static func isTransientSetupFailure(_ result: SandboxResult) -> Bool {
        guard result.verdict == .sandboxError, let message = result.sandboxMessage, message.hasPrefix("bwrap: ")
        else { return false }
        return message.contains(String(cString: strerror(EAGAIN)))
    }

    private func attempt(_ program: SandboxProgram, limits: SandboxLimits?, cancellation: CancellationFlag?)
        -> SandboxResult
    {
        let limits = limits ?? configuration.limits
        let user = LentUser.lend(configuration.user)
        defer { user.giveBack() }
        let scratch: Scratch
        do {
            scratch = try Scratch.make(
                root: configuration.scratchRoot, program: program, tools: tools,
                user: user, needsWritableHostDirectory: isolation != .bubblewrap)
        } catch {
            return SandboxResult(
                verdict: .sandboxError, termination: nil, stdout: "", stderr: "", seconds: 0,
                sandboxMessage: "cannot prepare scratch directory: \(error)")
        }
        defer { scratch.remove() }
        let command = commandLine(scratch: scratch, program: program, limits: limits, user: user)
        do {
            let outcome = try ProcessRunner.run(
                executable: command.executable, arguments: command.arguments, environment: command.environment,
                workingDirectory: command.workingDirectory, limits: limits,
                setProcessLimit: tools.dropPrivileges || geteuid() != 0,
                exitGraceSeconds: isolation == .limitsOnly ? 0.2 : 3, cancellation: cancellation)
            return SandboxResult.classify(outcome, isolation: isolation)
        } catch {
            return SandboxResult(
                verdict: .sandboxError, termination: nil, stdout: "", stderr: "", seconds: 0,
                sandboxMessage: "cannot start \(command.executable): \(String(cString: strerror(error.errno)))")
        }
    }

    static func strength(_ isolation: SandboxIsolation) -> Int {
        switch isolation {
        case .limitsOnly: 0
        case .unshare: 1
        case .bubblewrap: 2
        }
    }

    static func findExecutable(_ name: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] {
            let path = directory + "/" + name
            if access(path, X_OK) == 0 { return path }
        }
        return nil
    }
}

/// Why a ``Sandbox`` cannot be set up at all.
public enum SandboxSetupError: Error, CustomStringConvertible, Sendable {
    case pythonMissing(String)
    case pythonNotAccessible(String)

    public var description: String {
        switch self {
        case .pythonMissing(let path):
            "sandbox: no Python interpreter at \(path) (apt-get install python3, or pass another path)"
        case .pythonNotAccessible(let path):
            "sandbox: \(path) is not readable and executable by other users, so the unprivileged sandbox user "
                + "cannot run it; use a system interpreter such as /usr/bin/python3"
        }
    }
}
