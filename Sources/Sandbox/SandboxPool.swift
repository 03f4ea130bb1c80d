import Foundation

/// Runs programs through a ``Sandbox`` with at most `workers` at once, so a runner may submit
/// every (problem, completion) pair concurrently from a task group and let the pool pace them.
///
/// Results never depend on completion order: each call returns its own program's result.
public final class SandboxPool: Sendable {
    public let sandbox: Sandbox
    public let workers: Int
    private let gate: Gate

    /// `workers` defaults to the number of active cores.
    public init(sandbox: Sandbox, workers: Int? = nil) {
        self.sandbox = sandbox
        self.workers = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        self.gate = Gate(permits: self.workers)
    }

    public func run(_ program: SandboxProgram, limits: SandboxLimits? = nil) async -> SandboxResult {
        await gate.acquire()
        let result = await sandbox.run(program, limits: limits)
        await gate.release()
        return result
    }

    /// Runs all programs and returns their results in input order; `progress` is called with the
    /// number finished after each one.
    public func runAll(
        _ programs: [SandboxProgram], limits: SandboxLimits? = nil,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async -> [SandboxResult] {
        await withTaskGroup(of: (Int, SandboxResult).self) { group in
            for (index, program) in programs.enumerated() {
                group.addTask { (index, await self.run(program, limits: limits)) }
            }
            var results = [SandboxResult?](repeating: nil, count: programs.count)
            var done = 0
            for await (index, result) in group {
                results[index] = result
                done += 1
                progress?(done)
            }
            return results.map { $0! }
        }
    }
}

/// A counting semaphore for async code: waiters are resumed first come, first served.
actor Gate {
    private var permits: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) { self.permits = permits }

    func acquire() async {
        if permits > 0 {
            permits -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            permits += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
