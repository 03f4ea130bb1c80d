import Foundation

/// The training set as the loop sees it: tokenized stages in order, the validation examples, and
/// what was left out or cut.
///
/// `--data` is a chat JSONL file (one stage) or a mixture written by `clarifycoder mix` — its
/// folder or its `manifest.json` — whose `stages` are trained in order (stage 1 "code", then
/// stage 2 "mixed") and whose `validation` split serves as the validation set unless `--val` is
/// given. LLM sits below Synth, so the manifest is read here with its own small Codable view.
struct TrainingData {
    struct Stage {
        var name: String
        var file: String
        var examples: [SFTExample]
    }

    var stages: [Stage]
    var validation: [SFTExample]
    var validationFile: String?
    var truncated = 0
    /// `file:line: N tokens > max length L` of every example left out.
    var tooLong: [String] = []

    /// The fields of Synth's `MixtureManifest` the trainer needs.
    struct Manifest: Decodable {
        struct Split: Decodable {
            var file: String
            var examples: Int
        }
        struct Stage: Decodable {
            var name: String
            var file: String
        }
        var format: String?
        var splits: [String: Split]?
        var stages: [Stage]?
    }

    /// The manifest of a mixture at `path` (its folder or the file), or nil when `path` is a data file.
    static func manifestPath(for path: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return path + "/manifest.json"
        }
        return path.hasSuffix(".json") && !path.hasSuffix(".jsonl") ? path : nil
    }

    /// The stage files and validation file `parameters` name, resolved through a mixture manifest.
    static func files(for parameters: TrainingParameters) throws -> (stages: [(String, String)], validation: String?) {
        guard let manifestPath = manifestPath(for: parameters.data) else {
            return ([("train", parameters.data)], parameters.validation)
        }
        guard let bytes = FileManager.default.contents(atPath: manifestPath) else {
            throw TrainingError("\(manifestPath): no such file (is \(parameters.data) a mixture folder from `clarifycoder mix`?)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: bytes)
        } catch {
            throw TrainingError("\(manifestPath): not a mixture manifest: \(error)")
        }
        if let format = manifest.format, !["chat", "sharegpt", "alpaca"].contains(format) {
            throw TrainingError("\(manifestPath): format '\(format)' — the trainer reads chat, sharegpt and alpaca mixtures")
        }
        let folder = (manifestPath as NSString).deletingLastPathComponent
        func resolve(_ file: String) -> String { file.hasPrefix("/") ? file : folder + "/" + file }
        var stages = (manifest.stages ?? []).map { ($0.name, resolve($0.file)) }
        if stages.isEmpty, let train = manifest.splits?["train"] { stages = [("train", resolve(train.file))] }
        guard !stages.isEmpty else { throw TrainingError("\(manifestPath): lists no stages and no train split") }
        var validation = parameters.validation
        if validation == nil, let split = manifest.splits?["validation"], split.examples > 0 {
            validation = resolve(split.file)
        }
        return (stages, validation)
    }

    /// Reads and checks every file `parameters` name (stages and validation) without a tokenizer,
    /// so bad data fails in seconds, before a model is loaded.
    static func check(_ parameters: TrainingParameters) throws {
        let files = try files(for: parameters)
        for path in files.stages.map({ $0.1 }) + [files.validation].compactMap({ $0 }) {
            _ = try ChatDataFile.load(path: path, groupKey: parameters.groupBy)
        }
    }

    /// Reads, checks and tokenizes every file.
    static func load(_ parameters: TrainingParameters, encoder: SFTEncoder) throws -> TrainingData {
        let files = try files(for: parameters)
        var data = TrainingData(stages: [], validation: [], validationFile: files.validation)
        func encodeFile(_ path: String) throws -> [SFTExample] {
            let file = try ChatDataFile.load(path: path, groupKey: parameters.groupBy)
            var examples: [SFTExample] = []
            for record in file.records {
                switch try encoder.encode(record.messages, source: "\(path):\(record.line)") {
                case .example(var example, let truncated):
                    example.group = record.group
                    examples.append(example)
                    if truncated { data.truncated += 1 }
                case .tooLong(let reason): data.tooLong.append(reason)
                }
            }
            return examples
        }
        for (name, path) in files.stages {
            let examples = try encodeFile(path)
            guard !examples.isEmpty else {
                throw TrainingError("\(path): every example is longer than max length \(parameters.maxLength)")
            }
            data.stages.append(Stage(name: name, file: path, examples: examples))
        }
        if let path = files.validation { data.validation = try encodeFile(path) }
        return data
    }
}
