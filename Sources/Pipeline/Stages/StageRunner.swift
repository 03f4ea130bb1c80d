import ClarifyCore
import Foundation

/// Runs stages in order in a run folder, reusing and resuming through the ``StageLedger``:
///
/// - a stage whose ledger entry is `done` with the same fingerprint is **reused** (not run);
/// - one left `running` with the same fingerprint (the process was killed) is **resumed**: its
///   body gets `resume: true` and continues the work in its folder;
/// - one with no entry or another fingerprint (a setting changed upstream or here) starts
///   afresh: its folder is emptied first, so no output of other settings survives in it.
public struct StageRunner: Sendable {
    public let runDirectory: String
    public let stages: [Stage]
    /// Recorded in the ledger entry of every stage this invocation runs.
    public let provenance: Provenance

    public init(runDirectory: String, stages: [Stage], provenance: Provenance = Provenance()) {
        self.runDirectory = runDirectory
        self.stages = stages
        self.provenance = provenance
    }

    /// What one invocation did, per stage.
    public struct Outcome: Sendable {
        public var reused: [String] = []
        public var resumed: [String] = []
        public var ran: [String] = []
        public var ledger: StageLedger
    }

    /// Fingerprints of every stage, in order of the list.
    public func fingerprints() -> [String: String] {
        var result: [String: String] = [:]
        for stage in stages { result[stage.name] = stage.fingerprint(upstream: result) }
        return result
    }

    public func run(progress: @escaping @Sendable (PipelineProgress) -> Void = { _ in }) async throws -> Outcome {
        let manager = FileManager.default
        do { try manager.createDirectory(atPath: runDirectory, withIntermediateDirectories: true) } catch {
            throw PipelineError.io(runDirectory, error)
        }
        let lock = try RunFolderLock(runDirectory: runDirectory)
        defer { withExtendedLifetime(lock) {} }
        var ledger = try StageLedger.load(runDirectory: runDirectory)
        ledger.order = stages.map(\.name)
        let fingerprints = fingerprints()
        var outcome = Outcome(ledger: ledger)
        var estimator = ETAEstimator(estimates: Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0.estimatedSeconds) }))
        let started = Date()
        for (position, stage) in stages.enumerated() {
            let fingerprint = fingerprints[stage.name]!
            let remaining = stages[(position + 1)...].map(\.name)
            let entry = ledger.stages[stage.name]
            let report: @Sendable (PipelineProgress.Event, Double, String, Double, Double) -> Void = { event, fraction, detail, _, eta in
                progress(PipelineProgress(
                    event: event, stage: stage.name, title: stage.title, index: position + 1, count: stages.count,
                    stageFraction: fraction, detail: detail, elapsed: Date().timeIntervalSince(started), eta: eta))
            }
            if let entry, entry.fingerprint == fingerprint, entry.status == .done {
                estimator.estimates[stage.name] = 0
                outcome.reused.append(stage.name)
                report(.reused, 1, "reused (finished earlier with the same settings)", 0,
                       estimator.eta(current: stage.name, fraction: 1, elapsedInStage: 0, remaining: remaining))
                continue
            }
            let resuming = entry?.fingerprint == fingerprint && entry?.status == .running
            let directory = runDirectory + "/" + stage.name
            do {
                if !resuming, manager.fileExists(atPath: directory) { try manager.removeItem(atPath: directory) }
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch { throw PipelineError.io(directory, error) }
            var current = StageLedger.Entry(
                fingerprint: fingerprint, status: .running, seconds: resuming ? entry!.seconds : 0,
                attempts: (resuming ? entry!.attempts : 0) + 1, startedAt: StageLedger.timestamp(), finishedAt: nil,
                provenance: provenance)
            ledger.stages[stage.name] = current
            try ledger.save(runDirectory: runDirectory)
            if resuming { outcome.resumed.append(stage.name) } else { outcome.ran.append(stage.name) }
            let stageStart = Date()
            let snapshot = estimator
            report(.started(resuming: resuming), 0, resuming ? "resuming" : "starting", 0,
                   snapshot.eta(current: stage.name, fraction: 0, elapsedInStage: 0, remaining: remaining))
            let context = StageContext(runDirectory: runDirectory, directory: directory, resume: resuming) { fraction, detail in
                let inStage = Date().timeIntervalSince(stageStart)
                report(.advanced, fraction, detail, inStage,
                       snapshot.eta(current: stage.name, fraction: fraction, elapsedInStage: inStage, remaining: remaining))
            }
            do {
                try await stage.body(context)
            } catch let error as PipelineError {
                try? saveTime(&ledger, stage: stage.name, since: stageStart)
                throw error
            } catch is CancellationError {
                try? saveTime(&ledger, stage: stage.name, since: stageStart)
                throw CancellationError()
            } catch {
                try? saveTime(&ledger, stage: stage.name, since: stageStart)
                throw PipelineError.stage(stage.name, error)
            }
            let seconds = Date().timeIntervalSince(stageStart)
            current.seconds += seconds
            current.status = .done
            current.finishedAt = StageLedger.timestamp()
            ledger.stages[stage.name] = current
            try ledger.save(runDirectory: runDirectory)
            estimator.record(stage: stage.name, seconds: seconds)
            report(.finished(seconds: current.seconds), 1, "done", seconds,
                   estimator.eta(current: stage.name, fraction: 1, elapsedInStage: seconds, remaining: remaining))
        }
        outcome.ledger = ledger
        return outcome
    }

    /// Adds the time of an attempt that stopped to the stage's entry (it stays `running`).
    private func saveTime(_ ledger: inout StageLedger, stage: String, since start: Date) throws {
        ledger.stages[stage]?.seconds += Date().timeIntervalSince(start)
        try ledger.save(runDirectory: runDirectory)
    }
}
