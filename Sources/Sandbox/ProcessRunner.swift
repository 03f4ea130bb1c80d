import CSandboxSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How a process ended.
public enum ProcessTermination: Sendable, Hashable, Codable {
    case exited(Int32)
    case signaled(Int32)
}

/// What one process run produced, before any interpretation as a verdict.
struct ProcessOutcome: Sendable {
    var termination: ProcessTermination
    var stdout: [UInt8]
    var stderr: [UInt8]
    /// More output arrived than the cap allowed (the process was killed for it).
    var outputExceeded: Bool
    /// The wall clock ran out (the process group was killed for it).
    var timedOut: Bool
    /// The caller cancelled the run (the process group was killed for it).
    var cancelled: Bool = false
    var seconds: Double
}

/// Runs one process to completion with a wall clock and an output cap, blocking the calling thread.
///
/// The lifecycle, and the races it handles:
/// 1. spawn (C shim: new session, limits, stdin on /dev/null);
/// 2. poll stdout, stderr and a pidfd together, so output is drained while waiting for exit and a
///    full pipe can never deadlock the child;
/// 3. on deadline or output overflow: SIGKILL to the process group, then keep polling until exit;
/// 4. on exit, the child is a zombie until reaped, so its pid (and process-group id) cannot be
///    reused yet: the group is swept with SIGKILL *before* `waitpid`, which kills any stragglers
///    that stayed in the group without ever racing a recycled pid;
/// 5. pipes are drained until every holder has closed them, or for `exitGraceSeconds`: in a pid
///    namespace the kernel kills what is left when its init dies, but asynchronously, so waiting
///    for end of file is what makes "the run is over" mean "its processes are gone"; without one,
///    a straggler that left the group (setsid) could hold them open forever, hence the cap.
enum ProcessRunner {
    struct SpawnFailure: Error {
        var errno: Int32
    }

    static func run(
        executable: String,
        arguments: [String],
        environment: [String],
        workingDirectory: String?,
        limits: SandboxLimits,
        setProcessLimit: Bool,
        exitGraceSeconds: Double = 0.2,
        cancellation: CancellationFlag? = nil
    ) throws(SpawnFailure) -> ProcessOutcome {
        let start = DispatchTime.now().uptimeNanoseconds
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard cs_pipe_cloexec(&outPipe) == 0 else { throw SpawnFailure(errno: errno) }
        guard cs_pipe_cloexec(&errPipe) == 0 else {
            let error = errno
            close(outPipe[0])
            close(outPipe[1])
            throw SpawnFailure(errno: error)
        }
        var cLimits = cs_limits(
            cpu_seconds: Int64(limits.cpuSeconds),
            address_space_bytes: Int64(limits.memoryBytes),
            file_size_bytes: Int64(limits.fileSizeBytes),
            processes: setProcessLimit ? Int64(limits.processes) : -1,
            open_files: Int64(limits.openFiles),
            core_bytes: 0
        )
        var childErrno: Int32 = 0
        let pid = withCStrings([executable] + arguments) { argv in
            withCStrings(environment) { envp in
                if let workingDirectory {
                    return workingDirectory.withCString { cwd in
                        cs_spawn(executable, argv, envp, cwd, outPipe[1], errPipe[1], &cLimits, &childErrno)
                    }
                }
                return cs_spawn(executable, argv, envp, nil, outPipe[1], errPipe[1], &cLimits, &childErrno)
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard pid > 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnFailure(errno: childErrno)
        }
        _ = fcntl(outPipe[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(errPipe[0], F_SETFL, O_NONBLOCK)

        var stdout = CappedBuffer(cap: limits.outputBytes)
        var stderr = CappedBuffer(cap: limits.outputBytes)
        var outOpen = true
        var errOpen = true
        let pidfd = cs_pidfd_open(pid)
        defer {
            if outOpen { close(outPipe[0]) }
            if errOpen { close(errPipe[0]) }
            if pidfd >= 0 { close(pidfd) }
        }
        let deadline = start + UInt64(max(0, limits.wallClockSeconds) * 1e9)
        var timedOut = false
        var cancelled = false
        var outputExceeded = false
        var killed = false
        var termination: ProcessTermination?
        var drainDeadline: UInt64 = 0

        func killGroup() {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            killed = true
        }

        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            if termination == nil, !killed, now >= deadline {
                timedOut = true
                killGroup()
            }
            if termination == nil, !killed, cancellation?.isSet == true {
                cancelled = true
                killGroup()
            }
            if termination != nil, (!outOpen && !errOpen) || now >= drainDeadline { break }

            var fds: [pollfd] = []
            if outOpen { fds.append(pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0)) }
            if errOpen { fds.append(pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)) }
            if termination == nil, pidfd >= 0 { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            var waitMs: Int32 = 50
            if termination == nil, !killed { waitMs = Int32(min(50, max(1, (deadline &- now) / 1_000_000))) }
            if termination != nil { waitMs = Int32(max(1, min(50, (drainDeadline &- now) / 1_000_000))) }
            if pidfd < 0 || termination != nil || killed { waitMs = min(waitMs, 20) }
            _ = poll(&fds, nfds_t(fds.count), waitMs)

            if outOpen, !drain(outPipe[0], into: &stdout) {
                close(outPipe[0])
                outOpen = false
            }
            if errOpen, !drain(errPipe[0], into: &stderr) {
                close(errPipe[0])
                errOpen = false
            }
            if !killed, stdout.overflowed || stderr.overflowed {
                outputExceeded = true
                killGroup()
            }
            if termination == nil, let ended = reapIfExited(pid) {
                termination = ended
                drainDeadline = DispatchTime.now().uptimeNanoseconds + UInt64(exitGraceSeconds * 1e9)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return ProcessOutcome(
            termination: termination ?? .signaled(SIGKILL),
            stdout: stdout.bytes,
            stderr: stderr.bytes,
            outputExceeded: outputExceeded,
            timedOut: timedOut,
            cancelled: cancelled,
            seconds: seconds
        )
    }

    /// Sweeps the process group and reaps the child if it has exited; `nil` while it runs.
    private static func reapIfExited(_ pid: pid_t) -> ProcessTermination? {
        // The zombie stays in place until waitpid, so the group id stays ours while we sweep it.
        guard cs_has_exited(pid) != 0 else { return nil }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(status & 0x7f)
    }

    /// Reads what is available; returns false at end of file.
    private static func drain(_ fd: Int32, into buffer: inout CappedBuffer) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.append(chunk[0..<n])
                // Past the cap, stop so the caller can kill a program that floods its output.
                if buffer.overflowed { return true }
                continue
            }
            if n == 0 { return false }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK
        }
    }
}

/// Set from a task-cancellation handler, read by the runner's poll loop (every 50 ms at most).
final class CancellationFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}

/// Keeps the first `cap` bytes and remembers whether more came.
struct CappedBuffer {
    let cap: Int
    private(set) var bytes: [UInt8] = []
    private(set) var overflowed = false

    init(cap: Int) { self.cap = cap }

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        let room = cap - bytes.count
        if chunk.count > room {
            overflowed = true
            bytes.append(contentsOf: chunk.prefix(max(0, room)))
        } else {
            bytes.append(contentsOf: chunk)
        }
    }
}

/// Calls `body` with a NULL-terminated C array of the strings, valid for the duration of the call.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}
