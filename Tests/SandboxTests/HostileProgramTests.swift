import Foundation
import Testing

@testable import Sandbox

/// Whether hostile programs may run here at all: only inside a pid namespace. Without one, a
/// program that calls kill(-1) reaches every process of its user — under `limitsOnly` as a normal
/// user that is the developer's whole session. The suite is then skipped (and reported skipped),
/// while "uses bubblewrap on this machine" fails loudly.
let hostileCorpusIsSafe: Bool = {
    guard let sandbox = try? Sandbox() else { return false }
    return sandbox.isolation != .limitsOnly
}()

/// Hostile programs: each must end with the right verdict, quickly, with the harness alive, the
/// host untouched, and no process of it left running. Written in capped form where a leak would
/// hurt the shared machine (bounded fork counts and sleeps), except the one plain fork bomb, whose
/// containment is the point.
@Suite("Hostile programs are contained", .enabled(if: hostileCorpusIsSafe))
struct HostileProgramTests {
    /// Runs `source` with a unique marker argument, and checks no process carrying it survives.
    func runHostile(
        _ source: String, wallClock: Double = 2, isolation: SandboxIsolation? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> SandboxResult {
        let marker = "hostile-\(UUID().uuidString)"
        let sandbox = try Sandbox(
            configuration: SandboxConfiguration(isolation: isolation, limits: testLimits(wallClock: wallClock)))
        let result = await sandbox.run(SandboxProgram(source: source, arguments: [marker]))
        // The run's own clock: time spent waiting for a test thread afterwards is not the sandbox's.
        #expect(result.seconds < wallClock + 3, "the run overstayed its wall clock", sourceLocation: sourceLocation)
        #expect(
            processesCarrying(marker).isEmpty, "a process of the program survived it", sourceLocation: sourceLocation)
        return result
    }

    @Test("a capped fork bomb hits the process limit and fails")
    func cappedForkBomb() async throws {
        let source = """
            import os, time
            for _ in range(200):
                if os.fork() == 0:
                    time.sleep(5)
                    os._exit(0)
            """
        let result = try await runHostile(source)
        #expect(result.verdict == .failed)
        #expect(result.stderr.contains("BlockingIOError") || result.stderr.contains("Resource temporarily unavailable"))
    }

    @Test("a real fork bomb is stopped by the process limit and the wall clock")
    func forkBomb() async throws {
        let result = try await runHostile(
            "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n", wallClock: 1.5)
        #expect(result.verdict == .timeout)
    }

    @Test("an infinite loop times out")
    func infiniteLoop() async throws {
        let result = try await runHostile("while True:\n    pass\n", wallClock: 1)
        #expect(result.verdict == .timeout)
    }

    @Test("a busy loop dies of the CPU limit even with a long wall clock")
    func cpuLimit() async throws {
        let sandbox = try makeSandbox()
        var limits = testLimits(wallClock: 10)
        limits.cpuSeconds = 1
        let result = await sandbox.run(SandboxProgram(source: "while True:\n    pass\n"), limits: limits)
        #expect(result.verdict == .timeout)
        // Killed by SIGXCPU (bubblewrap reports 128 + 24), not by the wall clock.
        #expect(result.termination == .exited(128 + 24) || result.termination == .signaled(24))
    }

    @Test("a memory bomb ends with memoryExceeded")
    func memoryBomb() async throws {
        let result = try await runHostile("blocks = []\nwhile True:\n    blocks.append(bytearray(64 << 20))\n")
        #expect(result.verdict == .memoryExceeded)
    }

    @Test("writing 10 GB stops at the file-size and disk limits")
    func diskFill() async throws {
        let source = """
            chunk = b'x' * (1 << 20)
            for n in range(100):
                with open(f'fill{n}', 'wb') as f:
                    for _ in range(100):
                        f.write(chunk)
            """
        let result = try await runHostile(source)
        #expect(result.verdict == .failed)
        #expect(result.stderr.contains("File too large") || result.stderr.contains("No space left"))
    }

    @Test("files outside the working directory are neither read nor deleted")
    func canary() async throws {
        let secret = "canary-\(UUID().uuidString)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("canary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let visible = directory.appendingPathComponent("canary.txt")
        try secret.write(to: visible, atomically: true, encoding: .utf8)
        chmod(directory.path, 0o777)
        chmod(visible.path, 0o666)
        let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            ".canary-\(UUID().uuidString)")
        try secret.write(to: beside, atomically: true, encoding: .utf8)
        chmod(beside.path, 0o666)
        defer { try? FileManager.default.removeItem(at: beside) }
        let source = """
            import os, shutil
            for path in [\(pythonString(visible.path)), \(pythonString(beside.path))]:
                for attempt in (lambda: print(open(path).read()), lambda: os.remove(path),
                                lambda: open(path, 'w').write('overwritten'),
                                lambda: shutil.rmtree(os.path.dirname(path))):
                    try:
                        attempt()
                        print('succeeded on', path)
                    except Exception as error:
                        print(type(error).__name__)
            """
        let result = try await runHostile(source)
        #expect(result.verdict == .passed, "\(result.stderr)")
        #expect(!result.stdout.contains(secret))
        #expect(!result.stdout.contains("succeeded"))
        #expect(try String(contentsOf: visible, encoding: .utf8) == secret)
        #expect(try String(contentsOf: beside, encoding: .utf8) == secret)
    }

    @Test("secrets in the harness's environment do not reach the program")
    func environmentSecret() async throws {
        let secret = "sk-\(UUID().uuidString)"
        setenv("CLARIFYCODER_TEST_SECRET", secret, 1)
        defer { unsetenv("CLARIFYCODER_TEST_SECRET") }
        let source = """
            import os, glob
            print(dict(os.environ))
            for path in glob.glob('/proc/*/environ'):
                try:
                    print(open(path, 'rb').read())
                except Exception as error:
                    print(type(error).__name__)
            """
        let result = try await runHostile(source)
        #expect(result.verdict == .passed, "\(result.stderr)")
        #expect(!result.stdout.contains(secret))
        #expect(!result.stdout.contains("CLARIFYCODER_TEST_SECRET"))
    }

    @Test("the program cannot reach a port the host listens on")
    func network() async throws {
        let listener = try LocalListener()
        defer { listener.close() }
        let source = """
            import socket
            s = socket.create_connection(('127.0.0.1', \(listener.port)), timeout=1)
            s.sendall(b'leak')
            print('connected')
            """
        let result = try await runHostile(source)
        #expect(result.verdict == .failed)
        #expect(!result.stdout.contains("connected"))
        #expect(!listener.hadConnection())
    }

    @Test("100 MB of output is cut at the cap")
    func hugeOutput() async throws {
        let result = try await runHostile("import sys\nfor _ in range(100):\n    sys.stdout.write('x' * (1 << 20))\n")
        #expect(result.verdict == .outputLimit)
        #expect(result.stdout.utf8.count <= testLimits().outputBytes)
    }

    @Test("killing its parent and everything it can see leaves the harness alive")
    func killsParent() async throws {
        let source = """
            import os, signal, sys
            harness = int(sys.argv[2])
            for target in (os.getppid(), harness, 1):
                try:
                    os.kill(target, signal.SIGKILL)
                except Exception as error:
                    print(type(error).__name__)
            os.kill(-1, signal.SIGKILL)
            """
        let marker = "hostile-\(UUID().uuidString)"
        let sandbox = try makeSandbox()
        let result = await sandbox.run(SandboxProgram(source: source, arguments: [marker, String(getpid())]))
        #expect(result.verdict != .passed && result.verdict != .sandboxError || result.termination == .exited(0))
        #expect(!result.stdout.isEmpty || result.verdict == .failed)
        #expect(processesCarrying(marker).isEmpty)
        // Still here, and still able to run programs.
        #expect(await sandbox.run(SandboxProgram(source: "print(1)")).stdout == "1\n")
    }

    @Test("ignoring SIGTERM does not outlive the wall clock")
    func ignoresSigterm() async throws {
        let source = """
            import signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            while True:
                time.sleep(0.05)
            """
        let result = try await runHostile(source, wallClock: 1)
        #expect(result.verdict == .timeout)
    }

    @Test("a daemon that leaves the session dies with the run")
    func daemon() async throws {
        let source = """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(5)
                os._exit(0)
            print('parent done')
            """
        let result = try await runHostile(source)
        #expect(result.verdict == .passed)
    }

    @Test("unbounded recursion fails, also when it overflows the C stack")
    func deepRecursion() async throws {
        let python = try await runHostile("def f(n):\n    return f(n + 1) + 1\nf(0)\n")
        #expect(python.verdict == .failed)
        #expect(python.stderr.contains("RecursionError"))
        let native = "import sys\nsys.setrecursionlimit(10**7)\nx = []\nfor _ in range(200000):\n    x = [x]\nrepr(x)\n"
        let crash = try await runHostile(native, wallClock: 10)
        #expect(crash.verdict == .failed)
    }

    @Test("a ctypes segfault fails")
    func segfault() async throws {
        let result = try await runHostile("import ctypes\nctypes.string_at(0)\n")
        #expect(result.verdict == .failed)
        #expect(result.termination == .exited(128 + SIGSEGV) || result.termination == .signaled(SIGSEGV))
    }
}

/// Pids of live processes whose command line contains `marker`.
func processesCarrying(_ marker: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry in
        guard let pid = Int32(entry),
            let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
            String(decoding: data, as: UTF8.self).contains(marker)
        else { return nil }
        return pid
    }
}

func pythonString(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
}

/// A TCP listener on 127.0.0.1 that never accepts; it only tells whether anyone connected.
final class LocalListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    func hadConnection() -> Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 { Glibc.close(client) }
        return client >= 0
    }

    func close() { Glibc.close(fd) }
}
