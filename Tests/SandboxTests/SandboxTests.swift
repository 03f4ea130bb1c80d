import Foundation
import Testing

@testable import Sandbox

/// Limits small enough that every test, hostile ones included, ends in about a second.
func testLimits(wallClock: Double = 5) -> SandboxLimits {
    SandboxLimits(
        wallClockSeconds: wallClock, cpuSeconds: 5, memoryBytes: 256 << 20, fileSizeBytes: 4 << 20,
        workDirectoryBytes: 8 << 20, processes: 16, openFiles: 32, outputBytes: 64 << 10)
}

func makeSandbox(_ isolation: SandboxIsolation? = nil) throws -> Sandbox {
    try Sandbox(configuration: SandboxConfiguration(isolation: isolation, limits: testLimits()))
}

@Suite("Sandbox basics")
struct SandboxBasicsTests {
    @Test("uses bubblewrap on this machine and says nothing is wrong")
    func picksBubblewrap() throws {
        let sandbox = try makeSandbox()
        #expect(sandbox.isolation == .bubblewrap, "install bubblewrap (apt-get install bubblewrap)")
        #expect(sandbox.warnings.isEmpty)
    }

    @Test("a clean exit passes and its output is captured")
    func passes() async throws {
        let result = try await makeSandbox().run(
            SandboxProgram(source: "print('hello')\nimport sys\nprint('err', file=sys.stderr)"))
        #expect(result.verdict == .passed)
        #expect(result.stdout == "hello\n")
        #expect(result.stderr == "err\n")
    }

    @Test("an exception fails and its traceback is on stderr")
    func fails() async throws {
        let result = try await makeSandbox().run(SandboxProgram(source: "assert 1 == 2, 'nope'"))
        #expect(result.verdict == .failed)
        #expect(result.stderr.contains("AssertionError: nope"))
    }

    @Test("the exit status is reported as is")
    func exitStatus() async throws {
        let result = try await makeSandbox().run(SandboxProgram(source: "raise SystemExit(7)"))
        #expect(result.verdict == .failed)
        #expect(result.termination == .exited(7))
    }

    @Test("the program reads its extra files and arguments, writes in its working directory, and has no stdin")
    func filesAndArguments() async throws {
        let source = """
            import os, sys
            here = os.path.dirname(__file__)
            data = open(os.path.join(here, 'data.txt')).read()
            open('scratch.txt', 'w').write(data * 2)
            print(open('scratch.txt').read(), sys.argv[1:], repr(sys.stdin.read()))
            """
        let program = SandboxProgram(source: source, files: ["data.txt": "ab"], arguments: ["x", "y z"])
        let result = try await makeSandbox().run(program)
        #expect(result.verdict == .passed, "\(result.stderr)")
        #expect(result.stdout == "abab ['x', 'y z'] ''\n")
    }

    @Test("programs run as the unprivileged user, not as root", .enabled(if: geteuid() == 0))
    func dropsRoot() async throws {
        let source = "import os; print(os.getuid() == os.getgid() >= 1_000_000, os.getgroups())"
        let result = try await makeSandbox().run(SandboxProgram(source: source))
        #expect(result.stdout == "True []\n")
        let fixed = try Sandbox(configuration: SandboxConfiguration(user: .fixed(uid: 65534, gid: 65534)))
        let nobody = await fixed.run(SandboxProgram(source: "import os; print(os.getuid(), os.getgid())"))
        #expect(nobody.stdout == "65534 65534\n")
    }

    @Test("each isolation level runs a plain program", arguments: [SandboxIsolation.bubblewrap, .unshare, .limitsOnly])
    func everyIsolationRuns(isolation: SandboxIsolation) async throws {
        let sandbox = try makeSandbox(isolation)
        #expect(sandbox.isolation == isolation)
        #expect(sandbox.warnings.isEmpty == (isolation == .bubblewrap))
        let result = await sandbox.run(SandboxProgram(source: "print(sum(range(10)))"))
        #expect(result.verdict == .passed, "\(result.stderr)")
        #expect(result.stdout == "45\n")
    }

    @Test("a missing interpreter is a clear setup error")
    func missingPython() {
        #expect(throws: SandboxSetupError.self) {
            try Sandbox(configuration: SandboxConfiguration(python: "/nonexistent/python3"))
        }
    }

    @Test("the pool runs many programs at once and returns results in input order")
    func poolOrder() async throws {
        let pool = SandboxPool(sandbox: try makeSandbox(), workers: 2)
        let programs = (0..<8).map { i in
            SandboxProgram(source: "import time; time.sleep(\(Double(8 - i) * 0.02)); print(\(i))")
        }
        let results = await pool.runAll(programs)
        #expect(results.map(\.stdout) == (0..<8).map { "\($0)\n" })
        #expect(results.allSatisfy { $0.verdict == .passed })
    }

    @Test("no scratch directory is left behind")
    func cleansUp() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-clean-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sandbox = try Sandbox(configuration: SandboxConfiguration(limits: testLimits(), scratchRoot: root))
        _ = await sandbox.run(SandboxProgram(source: "open('f', 'w').write('x')"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }
}

@Suite("Sandbox cancellation")
struct SandboxCancellationTests {
    @Test("cancelling the task kills the run promptly and reports it as a sandbox error, not a verdict")
    func cancel() async throws {
        let sandbox = try makeSandbox()
        let task = Task { await sandbox.run(SandboxProgram(source: "import time\ntime.sleep(30)\n")) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.value
        #expect(result.verdict == .sandboxError)
        #expect(result.sandboxMessage == "cancelled")
        #expect(result.seconds < 5)
    }
}

@Suite("Sandbox users and retries")
struct SandboxUserSlotTests {
    @Test("a slot just given back is lent again only after every other free slot")
    func roundRobin() {
        let slots = UserSlots()
        let first = slots.acquire()
        slots.release(first)
        let second = slots.acquire()
        #expect(first != nil && second != nil && first != second)
        var seen: Set<Int> = [second!]
        for _ in 1..<UserSlots.count {
            let slot = slots.acquire()!
            seen.insert(slot)
        }
        #expect(seen.count == UserSlots.count)
        #expect(slots.acquire() == nil)
        slots.release(first)
        #expect(slots.acquire() == first)
    }

    @Test("only bubblewrap's EAGAIN before the program starts counts as transient")
    func transient() {
        func result(_ verdict: SandboxVerdict, _ message: String?) -> SandboxResult {
            SandboxResult(
                verdict: verdict, termination: nil, stdout: "", stderr: "", seconds: 0, sandboxMessage: message)
        }
        #expect(
            Sandbox.isTransientSetupFailure(
                result(.sandboxError, "bwrap: Creating new namespace failed: Resource temporarily unavailable")))
        #expect(!Sandbox.isTransientSetupFailure(result(.sandboxError, "bwrap: execvp python3: No such file")))
        #expect(!Sandbox.isTransientSetupFailure(result(.sandboxError, "cancelled")))
        #expect(!Sandbox.isTransientSetupFailure(result(.failed, "bwrap: Resource temporarily unavailable")))
    }
}
