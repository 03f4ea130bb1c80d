import Foundation

/// The git commit of the checkout ClarifyCoder was built from.
///
/// The source folder is known at compile time (`#filePath`); git is asked about it when a file is
/// written, so the answer is the checkout's commit at that moment (rebuild after checking out
/// another commit). Outside a checkout — a copied binary, no `git`, sources removed — the answer is
/// `nil` and files say `"git_commit": null` rather than failing.
public enum GitCommit {
    /// The commit of the source checkout, asked once per process.
    public static let current: String? = read(directory: sourceRoot)

    /// The package root: this file is `Sources/ClarifyCore/Provenance/GitCommit.swift`.
    static var sourceRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }

    /// `HEAD`'s full hash in `directory`, with `-dirty` when tracked files differ from it; `nil`
    /// when `directory` is not inside a git checkout or git cannot be run.
    public static func read(directory: String) -> String? {
        guard FileManager.default.fileExists(atPath: directory),
            let head = git(["rev-parse", "--verify", "HEAD"], in: directory)?
                .trimmingCharacters(in: .whitespacesAndNewlines),
            head.count == 40 || head.count == 64, head.allSatisfy(\.isHexDigit)
        else { return nil }
        let changes = git(["status", "--porcelain", "--untracked-files=no"], in: directory) ?? ""
        return changes.isEmpty ? head : head + "-dirty"
    }

    /// Runs git with the environment cleared of `GIT_DIR` & co., so the answer is about `directory`.
    private static func git(_ arguments: [String], in directory: String) -> String? {
        let candidates = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"]
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("GIT_") { environment[key] = nil }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The SHA-256 that identifies a model's weights.
public enum ModelHash {
    /// For a file in the asset cache, the hash its `manifest.json` recorded when it was fetched and
    /// verified (no re-read of a gigabyte file); for any other file, its SHA-256; for a Hugging Face
    /// folder, the SHA-256 of its `model.safetensors`. `nil` when there is nothing to hash.
    public static func sha256(of path: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        if isFolder.boolValue {
            let weights = (path as NSString).appendingPathComponent("model.safetensors")
            return FileManager.default.fileExists(atPath: weights) ? try? FileHash.sha256(path: weights) : nil
        }
        if let recorded = cachedHash(of: path) { return recorded }
        return try? FileHash.sha256(path: path)
    }

    /// The `file_sha256` of the asset manifest beside `path`, when it describes this very file
    /// (same name and size).
    static func cachedHash(of path: String) -> String? {
        let manifestPath = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
            "manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestPath),
            let manifest = try? JSONDecoder().decode(RecordedFile.self, from: data),
            (manifest.file as NSString).lastPathComponent == (path as NSString).lastPathComponent,
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
            size.intValue == manifest.size
        else { return nil }
        return manifest.fileSHA256
    }

    /// The part of ``AssetManifest`` needed here, so a manifest of an asset this build does not
    /// know still counts.
    private struct RecordedFile: Decodable {
        var file: String
        var size: Int
        var fileSHA256: String

        enum CodingKeys: String, CodingKey {
            case file, size
            case fileSHA256 = "file_sha256"
        }
    }
}
