import Foundation
import Testing

@testable import LLM

/// Locates committed fixtures and cached assets for the LLM tests.
enum Fixtures {
    /// `Tests/LLMTests/Fixtures`, found from this source file so no resource bundle is needed.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(relative))
    }

    static func json<T: Decodable>(_ type: T.Type, _ relative: String) throws -> T {
        try JSONDecoder().decode(T.self, from: data(relative))
    }

    static func bytes(_ relative: String) throws -> [UInt8] { [UInt8](try data(relative)) }

    /// The embedded SmolLM2 GGUF in the cache. Fails (never skips) when absent, naming the fix.
    static func smolLM2Path(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let home =
            ProcessInfo.processInfo.environment["CLARIFYCODER_HOME"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/clarifycoder").path
        let path = home + "/assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("missing \(path): run `clarifycoder data fetch` first", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return path
    }
}

/// Asserts two float arrays agree within `tolerance` (absolute), reporting the first mismatch.
func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    for i in actual.indices where !(abs(actual[i] - expected[i]) <= tolerance) {
        Issue.record("\(what)[\(i)] = \(actual[i]), expected \(expected[i])", sourceLocation: sourceLocation)
        return
    }
}

/// Builds small GGUF files byte by byte, so tests can write exactly the hostile header they need.
struct GGUFBuilder {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }
    mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
        bytes += Array("GGUF".utf8)
        u32(version)
        u64(tensors)
        u64(keys)
    }
    mutating func keyU32(_ key: String, _ v: UInt32) {
        string(key)
        u32(4)
        u32(v)
    }
    mutating func tensorInfo(_ name: String, shape: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(shape.count))
        for d in shape { u64(d) }
        u32(type)
        u64(offset)
    }
    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}
