import ClarifyCore
import Foundation

/// `RUN_DIR/pipeline.json`: per stage, the fingerprint it ran with, whether it finished, and the
/// wall time it took (summed over interrupted attempts). Written atomically after every change,
/// so a kill at any point leaves a ledger that says which stages to reuse and which to resume.
public struct StageLedger: Codable, Sendable, Hashable {
    public struct Entry: Codable, Sendable, Hashable {
        public enum Status: String, Codable, Sendable { case running, done }

        public var fingerprint: String
        public var status: Status
        /// Wall seconds over all attempts with this fingerprint.
        public var seconds: Double
        public var attempts: Int
        public var startedAt: String
        public var finishedAt: String?
        /// The invocation that last ran the stage (absent from ledgers written before it was recorded).
        public var provenance: Provenance?

        public init(
            fingerprint: String, status: Status, seconds: Double, attempts: Int, startedAt: String,
            finishedAt: String?, provenance: Provenance? = nil
        ) {
            self.fingerprint = fingerprint
            self.status = status
            self.seconds = seconds
            self.attempts = attempts
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.provenance = provenance
        }

        enum CodingKeys: String, CodingKey {
            case fingerprint, status, seconds, attempts, provenance
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    public var stages: [String: Entry] = [:]
    /// Stage names in run order, for readers of the file.
    public var order: [String] = []

    public init() {}

    static func path(in runDirectory: String) -> String { runDirectory + "/pipeline.json" }

    /// The ledger of `runDirectory`, empty when it has none.
    public static func load(runDirectory: String) throws(PipelineError) -> StageLedger {
        let path = path(in: runDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return StageLedger() }
        do {
            return try JSONDecoder().decode(StageLedger.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw PipelineError.io(path, "unreadable pipeline ledger (\(error)); remove it to start the run over")
        }
    }

    func save(runDirectory: String) throws(PipelineError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let path = Self.path(in: runDirectory)
        do { try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw PipelineError.io(path, error)
        }
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
