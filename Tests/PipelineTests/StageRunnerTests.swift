import ClarifyCore
import Foundation
import Testing

@testable import Pipeline

/// Counts stage bodies as they run (bodies are `@Sendable`).
final class RunLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    func append(_ entry: String) { lock.withLock { entries.append(entry) } }
    var all: [String] { lock.withLock { entries } }
}

struct StopHere: Error {}

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "pipeline-tests-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("Stage runner")
struct StageRunnerTests {
    /// Three stages a → b → c; each writes a file and logs `name` or `name(resume)`.
    func stages(log: RunLog, settingOfB: Int = 1, failInB: Bool = false) -> [Stage] {
        [
            Stage(name: "a", title: "A", settings: ["x": 1], estimatedSeconds: 1) { context in
                log.append("a")
                try "a".write(toFile: context.directory + "/out.txt", atomically: true, encoding: .utf8)
            },
            Stage(name: "b", title: "B", settings: ["x": settingOfB], dependencies: ["a"], estimatedSeconds: 1) { context in
                log.append(context.resume ? "b(resume)" : "b")
                let partial = context.directory + "/partial.txt"
                if context.resume { #expect(FileManager.default.fileExists(atPath: partial)) }
                try "half".write(toFile: partial, atomically: true, encoding: .utf8)
                context.progress(0.5, "half way")
                if failInB { throw StopHere() }
                try "b".write(toFile: context.directory + "/out.txt", atomically: true, encoding: .utf8)
            },
            Stage(name: "c", title: "C", settings: ["x": 1], dependencies: ["b"], estimatedSeconds: 1) { context in
                log.append("c")
                #expect(FileManager.default.fileExists(atPath: context.folder(of: "b") + "/out.txt"))
            },
        ]
    }

    @Test("a second run with the same settings reuses every finished stage")
    func reuse() async throws {
        let directory = temporaryDirectory()
        let log = RunLog()
        let first = try await StageRunner(runDirectory: directory, stages: stages(log: log)).run()
        #expect(first.ran == ["a", "b", "c"])
        let events = EventLog()
        let second = try await StageRunner(runDirectory: directory, stages: stages(log: log)).run { events.append($0) }
        #expect(second.reused == ["a", "b", "c"])
        #expect(log.all == ["a", "b", "c"])
        #expect(events.all.filter { $0.event == .reused }.map(\.stage) == ["a", "b", "c"])
        #expect(second.ledger.stages["b"]?.status == .done)
        // Each stage's entry records the invocation that ran it.
        let saved = try StageLedger.load(runDirectory: directory)
        #expect(saved.stages["a"]?.provenance?.version == ClarifyCoderVersion.current)
        #expect(saved.stages["c"]?.provenance?.command == Provenance.commandLine())
    }

    @Test("changing a stage's settings redoes it and what depends on it, nothing upstream")
    func changedSettings() async throws {
        let directory = temporaryDirectory()
        let log = RunLog()
        _ = try await StageRunner(runDirectory: directory, stages: stages(log: log)).run()
        try "stale".write(toFile: directory + "/b/stale.txt", atomically: true, encoding: .utf8)
        let outcome = try await StageRunner(runDirectory: directory, stages: stages(log: log, settingOfB: 2)).run()
        #expect(outcome.reused == ["a"])
        #expect(outcome.ran == ["b", "c"])
        #expect(log.all == ["a", "b", "c", "b", "c"])
        // A stage that starts afresh gets an empty folder: no output of the old settings survives.
        #expect(!FileManager.default.fileExists(atPath: directory + "/b/stale.txt"))
    }

    @Test("an interrupted stage resumes in its folder and the run completes")
    func resume() async throws {
        let directory = temporaryDirectory()
        let log = RunLog()
        await #expect(throws: PipelineError.self) {
            try await StageRunner(runDirectory: directory, stages: stages(log: log, failInB: true)).run()
        }
        let ledger = try StageLedger.load(runDirectory: directory)
        #expect(ledger.stages["a"]?.status == .done)
        #expect(ledger.stages["b"]?.status == .running)
        #expect(ledger.stages["c"] == nil)
        let outcome = try await StageRunner(runDirectory: directory, stages: stages(log: log)).run()
        #expect(outcome.reused == ["a"])
        #expect(outcome.resumed == ["b"])
        #expect(outcome.ran == ["c"])
        #expect(log.all == ["a", "b", "b(resume)", "c"])
        #expect(outcome.ledger.stages["b"]?.attempts == 2)
    }

    @Test("a run folder in use by another run is refused")
    func lock() async throws {
        let directory = temporaryDirectory()
        var held: RunFolderLock? = try RunFolderLock(runDirectory: directory)
        await #expect {
            try await StageRunner(runDirectory: directory, stages: stages(log: RunLog())).run()
        } throws: { String(describing: $0).contains("in use by another pipeline process") }
        #expect(held != nil)
        held = nil  // released: the folder can be used again
        _ = try await StageRunner(runDirectory: directory, stages: stages(log: RunLog())).run()
    }

    @Test("progress reports every stage in order with a finite, non-negative ETA")
    func progress() async throws {
        let events = EventLog()
        _ = try await StageRunner(runDirectory: temporaryDirectory(), stages: stages(log: RunLog())).run { events.append($0) }
        let all = events.all
        #expect(all.allSatisfy { $0.eta >= 0 && $0.eta.isFinite && $0.count == 3 })
        #expect(all.contains { $0.stage == "b" && $0.event == .advanced && $0.stageFraction == 0.5 && $0.detail == "half way" })
        let finished = all.compactMap { event -> String? in
            if case .finished = event.event { return event.stage }
            return nil
        }
        #expect(finished == ["a", "b", "c"])
    }

    @Test("the ETA extrapolates the current stage and scales later estimates by measured speed")
    func estimator() {
        var estimator = ETAEstimator(estimates: ["tiny": 2, "a": 40, "b": 100, "c": 50])
        // Nothing measured: the estimates as given.
        #expect(estimator.eta(current: "a", fraction: 0, elapsedInStage: 0, remaining: ["b", "c"]) == 190)
        // A tiny stage that took no time says nothing about the machine.
        estimator.record(stage: "tiny", seconds: 0)
        #expect(estimator.calibration == 1)
        // Stage a took twice its estimate: later stages are expected to as well.
        estimator.record(stage: "a", seconds: 80)
        #expect(estimator.calibration == 2)
        // Half of b done in 30 s: 30 s left for b, then c at 2 × 50.
        #expect(estimator.eta(current: "b", fraction: 0.5, elapsedInStage: 30, remaining: ["c"]) == 130)
    }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [PipelineProgress] = []

    func append(_ event: PipelineProgress) { lock.withLock { events.append(event) } }
    var all: [PipelineProgress] { lock.withLock { events } }
}
