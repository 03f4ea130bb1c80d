import ClarifyCore
import Foundation

/// One step of the pipeline: a name (also its folder under `RUN_DIR`), the settings its output
/// depends on, the stages it reads from, a time estimate for the overall ETA, and the work.
///
/// The **fingerprint** hashes the settings with the fingerprints of the stages it depends on, so
/// changing a setting redoes that stage and everything downstream of it, and nothing else.
public struct Stage: Sendable {
    public let name: String
    /// One line for progress and the report ("LoRA fine-tuning").
    public let title: String
    /// Canonical JSON of the settings this stage's output depends on.
    public let settings: Data
    public let dependencies: [String]
    /// A-priori wall time in seconds, for the ETA before the stage has measured itself.
    public let estimatedSeconds: Double
    public let body: @Sendable (StageContext) async throws -> Void

    public init(
        name: String, title: String, settings: some Encodable, dependencies: [String] = [],
        estimatedSeconds: Double, body: @escaping @Sendable (StageContext) async throws -> Void
    ) {
        self.name = name
        self.title = title
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.settings = (try? encoder.encode(settings)) ?? Data()
        self.dependencies = dependencies
        self.estimatedSeconds = max(1, estimatedSeconds)
        self.body = body
    }

    /// The stage's fingerprint given its dependencies' fingerprints.
    func fingerprint(upstream: [String: String]) -> String {
        var input = Data("stage:\(name)\n".utf8)
        input.append(settings)
        for dependency in dependencies {
            input.append(Data("\n\(dependency)=\(upstream[dependency] ?? "?")".utf8))
        }
        return FileHash.sha256Hex(input)
    }
}

/// What a stage's work gets: where to write, whether to resume, and how to report progress.
public struct StageContext: Sendable {
    public let runDirectory: String
    /// `RUN_DIR/<stage name>`, created before the body runs.
    public let directory: String
    /// True when an earlier attempt with the same fingerprint was interrupted: the body continues
    /// the work in `directory` (each underlying run has its own resume).
    public let resume: Bool
    let report: @Sendable (Double, String) -> Void

    public init(runDirectory: String, directory: String, resume: Bool, report: @escaping @Sendable (Double, String) -> Void) {
        self.runDirectory = runDirectory
        self.directory = directory
        self.resume = resume
        self.report = report
    }

    /// Reports the stage's progress: `fraction` in 0…1 and a short detail ("12/40 problems").
    public func progress(_ fraction: Double, _ detail: String) {
        report(min(1, max(0, fraction.isFinite ? fraction : 0)), detail)
    }

    /// The folder of another stage of the same run.
    public func folder(of stage: String) -> String { runDirectory + "/" + stage }
}
