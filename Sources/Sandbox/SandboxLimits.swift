/// Resource limits for one sandboxed program.
///
/// The kernel enforces the first five (setrlimit in the child, inherited by everything it starts);
/// the harness enforces the wall clock (it kills the whole process group) and the output cap.
/// Defaults suit a test suite of small functions: generous for a correct solution, tight enough
/// that a hostile one cannot hurt the machine other people are using.
public struct SandboxLimits: Sendable, Hashable, Codable {
    /// Wall-clock seconds before the process group is killed; verdict ``SandboxVerdict/timeout``.
    public var wallClockSeconds: Double
    /// CPU seconds (RLIMIT_CPU); a busy loop dies of SIGXCPU even if the wall clock is generous.
    public var cpuSeconds: Int
    /// Address space in bytes (RLIMIT_AS); Python raises MemoryError beyond it.
    public var memoryBytes: Int
    /// Largest file the program may write (RLIMIT_FSIZE).
    public var fileSizeBytes: Int
    /// Size of the private writable directory (a tmpfs under bubblewrap).
    public var workDirectoryBytes: Int
    /// Processes and threads of the sandbox user (RLIMIT_NPROC; the program runs as an unprivileged
    /// user because the limit does not bind root).
    public var processes: Int
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles: Int
    /// Bytes of stdout and of stderr kept each; a program writing more is killed with verdict
    /// ``SandboxVerdict/outputLimit``.
    public var outputBytes: Int

    public init(
        wallClockSeconds: Double = 10,
        cpuSeconds: Int = 10,
        memoryBytes: Int = 1 << 30,
        fileSizeBytes: Int = 16 << 20,
        workDirectoryBytes: Int = 64 << 20,
        processes: Int = 64,
        openFiles: Int = 64,
        outputBytes: Int = 1 << 20
    ) {
        self.wallClockSeconds = wallClockSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.fileSizeBytes = fileSizeBytes
        self.workDirectoryBytes = workDirectoryBytes
        self.processes = processes
        self.openFiles = openFiles
        self.outputBytes = outputBytes
    }
}

/// How strongly programs are isolated, strongest first. ``Sandbox`` picks the strongest that works
/// on this machine unless told otherwise.
public enum SandboxIsolation: String, Sendable, Hashable, Codable {
    /// bubblewrap: new user, pid, network, ipc, uts and mount namespaces; only /usr, /etc and the
    /// program's files visible (read-only); a private size-capped tmpfs as the writable directory.
    case bubblewrap
    /// util-linux `unshare`: new user, network and pid namespaces, but the host file system stays
    /// visible (what the sandbox user may read, the program may read).
    case unshare
    /// Resource limits and the unprivileged user only: no namespaces at all.
    case limitsOnly
}

/// Where and how programs run. The defaults are right for Debian machines running as root.
public struct SandboxConfiguration: Sendable, Hashable {
    /// The interpreter. It must be readable and executable by ``user``: Debian's `/usr/bin/python3`,
    /// not a pyenv shim under /root.
    public var python: String
    /// Interpreter flags before the script: `-I` ignores PYTHON* variables and the user site,
    /// `-B` writes no bytecode.
    public var pythonFlags: [String]
    /// The strongest isolation allowed; `nil` picks the strongest that works here.
    public var isolation: SandboxIsolation?
    /// The unprivileged user programs run as when the harness runs as root.
    public var user: SandboxUser
    /// Default limits, overridable per run.
    public var limits: SandboxLimits
    /// Where scratch directories are made on the host.
    public var scratchRoot: String

    public init(
        python: String = "/usr/bin/python3",
        pythonFlags: [String] = ["-I", "-B"],
        isolation: SandboxIsolation? = nil,
        user: SandboxUser = .default,
        limits: SandboxLimits = SandboxLimits(),
        scratchRoot: String = "/tmp"
    ) {
        self.python = python
        self.pythonFlags = pythonFlags
        self.isolation = isolation
        self.user = user
        self.limits = limits
        self.scratchRoot = scratchRoot
    }

}
