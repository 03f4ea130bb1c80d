import Foundation

/// What made a file: which ClarifyCoder, at which commit, with which model, by which command.
///
/// Every manifest and report carries one, under the key `provenance`, written the same way
/// everywhere (all five keys always present; `null` where a fact is unknown):
///
/// ```json
/// "provenance": {"clarifycoder_version": "0.1.0", "git_commit": "dae3f71…", "model": "smollm2",
///                "model_sha256": "bcc8…", "command": "clarifycoder eval --model smollm2 …"}
/// ```
public struct Provenance: Codable, Sendable, Hashable {
    /// ClarifyCoder's version (``ClarifyCoderVersion/current``).
    public var version: String
    /// The git commit of the checkout ClarifyCoder was built from, `-dirty` appended when it has
    /// uncommitted changes; `nil` outside a git checkout (see ``GitCommit``).
    public var commit: String?
    /// The model as the user named it (`smollm2`, a path, `openai:NAME`); `nil` when none was used.
    public var model: String?
    /// SHA-256 of the model's weights (see ``ModelHash``); `nil` for remote models or none.
    public var modelSHA256: String?
    /// The command line that made the file, shell-quoted.
    public var command: String

    enum CodingKeys: String, CodingKey {
        case version = "clarifycoder_version"
        case commit = "git_commit"
        case model
        case modelSHA256 = "model_sha256"
        case command
    }

    public init(
        version: String = ClarifyCoderVersion.current, commit: String? = GitCommit.current, model: String? = nil,
        modelSHA256: String? = nil, command: String = Provenance.commandLine()
    ) {
        self.version = version
        self.commit = commit
        self.model = model
        self.modelSHA256 = modelSHA256
        self.command = command
    }

    /// This process's provenance, with the model named and hashed (`path` is its weights file or
    /// folder; `nil` for remote or built-in models, which are named only).
    public static func current(model: String? = nil, modelPath: String? = nil) -> Provenance {
        Provenance(model: model, modelSHA256: modelPath.flatMap { ModelHash.sha256(of: $0) })
    }

    /// The same facts with another model (a run that evaluates a different model than it trained).
    public func with(model: String?, modelSHA256: String?) -> Provenance {
        var copy = self
        copy.model = model
        copy.modelSHA256 = modelSHA256
        return copy
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        commit = try container.decodeIfPresent(String.self, forKey: .commit)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        modelSHA256 = try container.decodeIfPresent(String.self, forKey: .modelSHA256)
        command = try container.decode(String.self, forKey: .command)
    }

    /// Unknown facts are written as `null`, so every file has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(commit, forKey: .commit)
        try container.encode(model, forKey: .model)
        try container.encode(modelSHA256, forKey: .modelSHA256)
        try container.encode(command, forKey: .command)
    }

    /// `clarifycoder ARG…` for this process: the program's file name (not the path it was started
    /// by), then the arguments, each quoted for a POSIX shell where it needs to be.
    public static func commandLine(_ arguments: [String] = CommandLine.arguments) -> String {
        guard let program = arguments.first else { return "" }
        let name = (program as NSString).lastPathComponent
        return ([name] + arguments.dropFirst().map(shellQuoted)).joined(separator: " ")
    }

    /// `it's` → `'it'\''s'`; words of safe characters stay bare.
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%")
        if !word.isEmpty && word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// One line for reports: `ClarifyCoder 0.1.0, commit dae3f71, model smollm2 (sha256 bcc81830…)`.
    public var summary: String {
        var parts = ["ClarifyCoder \(version)", "commit " + (commit.map { String($0.prefix(12)) } ?? "unknown")]
        if let model {
            parts.append("model \(model)" + (modelSHA256.map { " (sha256 \($0.prefix(12))…)" } ?? ""))
        }
        return parts.joined(separator: ", ")
    }
}

extension Provenance {
    /// The name of the file a folder's provenance is written to, where the folder's own manifest
    /// belongs to another module (a training run's `training.json`).
    public static let fileName = "provenance.json"

    /// Pretty JSON with sorted keys, as every manifest is written.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Writes `FOLDER/provenance.json` (whole, then renamed).
    public func write(toFolder folder: String) throws {
        try json.write(to: URL(fileURLWithPath: folder).appendingPathComponent(Self.fileName), options: .atomic)
    }
}

/// The version `clarifycoder --version` prints and every manifest records.
public enum ClarifyCoderVersion {
    public static let current = "0.1.0"
}
