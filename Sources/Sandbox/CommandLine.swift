import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The command that runs a program under a given isolation, and the host-side scratch directory
/// it needs. Kept apart from ``Sandbox`` so the exact bubblewrap invocation reads in one place.
struct SandboxCommand {
    var executable: String
    var arguments: [String]
    var environment: [String]
    var workingDirectory: String?
}

extension Sandbox {
    func commandLine(scratch: Scratch, program: SandboxProgram, limits: SandboxLimits, user: LentUser)
        -> SandboxCommand
    {
        Self.commandLine(
            isolation: isolation, tools: tools, configuration: configuration, scratch: scratch,
            program: program, limits: limits, user: user)
    }

    /// Where the program's files appear inside bubblewrap.
    static let inputMount = "/input"

    static func commandLine(
        isolation: SandboxIsolation, tools: Tools, configuration: SandboxConfiguration, scratch: Scratch,
        program: SandboxProgram, limits: SandboxLimits, user: LentUser
    ) -> SandboxCommand {
        var argv: [String] = []
        if tools.dropPrivileges, let setpriv = tools.setpriv {
            argv += [
                setpriv, "--reuid=\(user.uid)", "--regid=\(user.gid)",
                "--clear-groups", "--",
            ]
        }
        let home: String
        let workingDirectory: String?
        let script: String
        switch isolation {
        case .bubblewrap:
            argv += [tools.bwrap ?? "bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
            argv += systemMounts(python: configuration.python)
            argv += ["--dev", "/dev", "--proc", "/proc"]
            argv += ["--size", String(limits.workDirectoryBytes), "--tmpfs", "/tmp"]
            argv += ["--ro-bind", scratch.input, inputMount, "--remount-ro", "/", "--chdir", "/tmp", "--"]
            home = "/tmp"
            workingDirectory = nil
            script = inputMount + "/main.py"
        case .unshare:
            argv += [
                tools.unshare ?? "unshare", "--user", "--net", "--pid", "--ipc", "--uts", "--fork",
                "--kill-child", "--",
            ]
            home = scratch.work
            workingDirectory = scratch.work
            script = scratch.input + "/main.py"
        case .limitsOnly:
            home = scratch.work
            workingDirectory = scratch.work
            script = scratch.input + "/main.py"
        }
        argv += [configuration.python] + configuration.pythonFlags + [script] + program.arguments
        let environment = [
            "PATH=/usr/bin:/bin", "HOME=\(home)", "TMPDIR=\(home)", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
            "PYTHONIOENCODING=utf-8",
        ]
        return SandboxCommand(
            executable: argv[0], arguments: Array(argv.dropFirst()), environment: environment,
            workingDirectory: workingDirectory)
    }

    /// Read-only system directories: /usr and /etc, the merged-/usr symlinks as symlinks, and the
    /// interpreter's own top directory when it lives elsewhere (e.g. /opt).
    static func systemMounts(python: String) -> [String] {
        var mounts = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            var info = stat()
            guard lstat(top, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFLNK,
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: top)
            {
                mounts += ["--symlink", target, top]
            } else if info.st_mode & S_IFMT == S_IFDIR {
                mounts += ["--ro-bind", top, top]
            }
        }
        let resolved = URL(fileURLWithPath: python).resolvingSymlinksInPath().path
        if let first = resolved.split(separator: "/").first.map({ "/" + $0 }),
            !["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64"].contains(first)
        {
            mounts += ["--ro-bind", first, first]
        }
        return mounts
    }

    /// Whether an isolation works here: runs `pass` under it with default limits.
    static func probe(_ isolation: SandboxIsolation, tools: Tools, configuration: SandboxConfiguration) -> Bool {
        switch isolation {
        case .bubblewrap where tools.bwrap == nil: return false
        case .unshare where tools.unshare == nil: return false
        default: break
        }
        let program = SandboxProgram(source: "pass\n")
        let user = LentUser.lend(configuration.user)
        defer { user.giveBack() }
        guard
            let scratch = try? Scratch.make(
                root: configuration.scratchRoot, program: program, tools: tools,
                user: user, needsWritableHostDirectory: true)
        else { return false }
        defer { scratch.remove() }
        var limits = SandboxLimits()
        limits.wallClockSeconds = 10
        let command = commandLine(
            isolation: isolation, tools: tools, configuration: configuration,
            scratch: scratch, program: program, limits: limits, user: user)
        guard
            let outcome = try? ProcessRunner.run(
                executable: command.executable, arguments: command.arguments, environment: command.environment,
                workingDirectory: command.workingDirectory, limits: limits, setProcessLimit: false)
        else { return false }
        return outcome.termination == .exited(0)
    }
}

/// A per-run host directory: `input/` (the program's files, read-only for the program) and, when
/// the program runs on the host file system, `work/` (writable by the sandbox user only).
struct Scratch {
    let root: String
    var input: String { root + "/input" }
    var work: String { root + "/work" }

    static func make(
        root base: String, program: SandboxProgram, tools: Sandbox.Tools, user: LentUser,
        needsWritableHostDirectory: Bool
    ) throws -> Scratch {
        let fm = FileManager.default
        let root = base + "/clarifycoder-sandbox-" + UUID().uuidString.lowercased()
        try fm.createDirectory(
            atPath: root + "/input", withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
        chmod(root, 0o755)
        try Data(program.source.utf8).write(to: URL(fileURLWithPath: root + "/input/main.py"))
        for (name, contents) in program.files {
            guard !name.contains("/"), name != "main.py", !name.hasPrefix(".") else {
                throw ScratchError.badFileName(name)
            }
            try Data(contents.utf8).write(to: URL(fileURLWithPath: root + "/input/" + name))
        }
        if needsWritableHostDirectory {
            try fm.createDirectory(
                atPath: root + "/work", withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o700])
            if tools.dropPrivileges { chown(root + "/work", user.uid, user.gid) }
        }
        return Scratch(root: root)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

enum ScratchError: Error, CustomStringConvertible {
    case badFileName(String)
    var description: String {
        switch self {
        case .badFileName(let name): "program file name \"\(name)\" must be a plain name (no '/', not main.py)"
        }
    }
}
