import Foundation

/// The files of one training run (the contract in docs/training.md, read by `export` and the
/// pipeline):
///
///   training.json           resolved ``TrainingParameters``
///   base.json               the base's path and SHA-256 (a resume on another base is refused)
///   adapter/                best adapter (lowest validation loss; the last without validation)
///   adapter-last/           final adapter
///   model/                  full fine-tuning instead: model.safetensors (HF names) + config.json
///   checkpoints/step-N/     resumable state, written to a temporary folder and renamed
///   metrics.jsonl           one ``TrainingMetric`` per step and per validation
///   summary.json
///
/// The trainer draws nothing: `loss.svg`, which the CLI and the pipeline add beside these files,
/// is drawn from `metrics.jsonl` by `Eval`'s reports.
struct RunFolder {
    let path: String

    var parametersFile: String { path + "/training.json" }
    var baseFile: String { path + "/base.json" }
    var adapter: String { path + "/adapter" }
    var lastAdapter: String { path + "/adapter-last" }
    var model: String { path + "/model" }
    var checkpoints: String { path + "/checkpoints" }
    var metrics: String { path + "/metrics.jsonl" }
    var summary: String { path + "/summary.json" }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Writes `value` as pretty JSON to `file`, whole then renamed.
    func writeJSON<T: Encodable>(_ value: T, to file: String) throws {
        try Self.encoder.encode(value).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    /// Replaces the folder `destination` with what `fill` writes into a fresh temporary sibling:
    /// readers see the old folder or the new one, never a half-written one (the old one is moved
    /// aside before the rename, which is atomic on one file system).
    static func replaceFolder(_ destination: String, _ fill: (String) throws -> Void) throws {
        let fm = FileManager.default
        let parent = (destination as NSString).deletingLastPathComponent
        let name = (destination as NSString).lastPathComponent
        let temporary = parent + "/.\(name).tmp-\(getpid())"
        let old = parent + "/.\(name).old-\(getpid())"
        try? fm.removeItem(atPath: temporary)
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        try fill(temporary)
        if fm.fileExists(atPath: destination) { try fm.moveItem(atPath: destination, toPath: old) }
        try fm.moveItem(atPath: temporary, toPath: destination)
        try? fm.removeItem(atPath: old)
    }
}

/// Appends one ``TrainingMetric`` per line to `metrics.jsonl`.
struct MetricsLog {
    let path: String

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Keeps the lines of steps ≤ `step` (a resumed run rewrites what came after its checkpoint).
    func truncate(after step: Int) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        var kept: [String] = []
        for line in text.split(separator: "\n") {
            guard let metric = try? JSONDecoder().decode(TrainingMetric.self, from: Data(line.utf8)) else { continue }
            if metric.step <= step { kept.append(String(line)) }
        }
        try (kept.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
    }

    func append(_ metric: TrainingMetric) throws {
        let data = try Self.encoder.encode(metric)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TrainingError("\(path): cannot open for writing")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data + Data("\n".utf8))
    }
}
