import Foundation
import Testing

@testable import LLM

@Suite("GGUF reader on hostile files")
struct GGUFHostileFileTests {
    private func parse(_ bytes: [UInt8]) throws -> GGUFFile {
        try GGUFFile(bytes: FileBytes(bytes: bytes, name: "hostile.gguf"))
    }

    private func message(_ bytes: [UInt8]) -> String? {
        do {
            _ = try parse(bytes)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("rejects a file that is not GGUF, naming the file and the bad magic")
    func wrongMagic() {
        let text = message(Array("PK\u{3}\u{4} not a model at all, just text".utf8))
        #expect(text == "hostile.gguf: offset 0: not a GGUF file (bad magic)")
        #expect(message([]) != nil)
    }

    @Test("rejects version 1 and unknown future versions")
    func versions() {
        for version: UInt32 in [1, 4, 0xFFFF_FFFF] {
            var b = GGUFBuilder()
            b.header(version: version, tensors: 0, keys: 0)
            #expect(message(b.bytes)?.contains("GGUF version \(version) is not supported") == true)
        }
    }

    @Test("rejects every truncation of a valid file without crashing")
    func everyTruncation() throws {
        let whole = try Fixtures.bytes("GGUF/quants.gguf")
        let file = try parse(whole)
        // The writer pads the file after the last tensor; only cuts before the data ends are truncations.
        let end = file.dataOffset + file.tensors.map { $0.offset + $0.byteCount! }.max()!
        var accepted: [Int] = []
        for length in 0..<end {
            do {
                _ = try parse(Array(whole[0..<length]))
                accepted.append(length)
            } catch is ModelFileError {
            }
        }
        #expect(accepted == [], "prefixes accepted as valid files")
    }

    @Test("rejects absurd tensor, key, array and string counts before allocating")
    func absurdCounts() {
        var b = GGUFBuilder()
        b.header(tensors: 1 << 60, keys: 0)
        #expect(message(b.bytes)?.contains("tensor count") == true)

        b = GGUFBuilder()
        b.header(tensors: 0, keys: UInt64.max)
        #expect(message(b.bytes)?.contains("metadata count") == true)

        b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.string("tokenizer.ggml.tokens")
        b.u32(9)  // array
        b.u32(8)  // of strings
        b.u64(1 << 62)
        #expect(message(b.bytes)?.contains("key tokenizer.ggml.tokens: array declares") == true)

        b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.u64(UInt64.max)  // key length
        b.bytes += [UInt8](repeating: 0, count: 32)
        #expect(message(b.bytes)?.contains("declares 18446744073709551615 bytes") == true)
    }

    @Test("rejects deeply nested arrays instead of recursing without bound")
    func nestingDepth() {
        var b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.string("deep")
        b.u32(9)
        for _ in 0..<1000 {
            b.u32(9)
            b.u64(1)
        }
        #expect(message(b.bytes)?.contains("nested deeper") == true)
    }

    @Test("rejects tensors whose data lies past the end of the file")
    func offsetsPastEnd() {
        var b = GGUFBuilder()
        b.header(tensors: 1, keys: 0)
        b.tensorInfo("w", shape: [32, 4], type: 0, offset: 0)
        b.pad(to: 32)
        b.bytes += [UInt8](repeating: 0, count: 100)  // needs 512
        #expect(
            message(b.bytes)
                == "hostile.gguf: tensor w: data (512 bytes at offset 0) runs past the end of the file; is it truncated?"
        )

        b = GGUFBuilder()
        b.header(tensors: 1, keys: 0)
        b.tensorInfo("w", shape: [32], type: 0, offset: 1 << 40)
        b.pad(to: 32)
        #expect(message(b.bytes)?.contains("past the end of the file") == true)
    }

    @Test("rejects shapes whose element count overflows, and rows that split a block")
    func badShapes() {
        var b = GGUFBuilder()
        b.header(tensors: 1, keys: 0)
        b.tensorInfo("w", shape: [1 << 40, 1 << 40], type: 0, offset: 0)
        #expect(message(b.bytes)?.contains("element count overflows") == true)

        b = GGUFBuilder()
        b.header(tensors: 1, keys: 0)
        b.tensorInfo("w", shape: [33, 2], type: 3, offset: 0)
        #expect(message(b.bytes)?.contains("not a multiple of the Q4_1 block size 32") == true)

        b = GGUFBuilder()
        b.header(tensors: 1, keys: 0)
        b.tensorInfo("w", shape: [32], type: 0, offset: 3)
        #expect(message(b.bytes)?.contains("not a multiple of 32") == true)
    }

    @Test("loads a file with an unknown tensor type but refuses to decode that tensor, naming it")
    func unknownTensorType() throws {
        var b = GGUFBuilder()
        b.header(tensors: 1, keys: 0)
        b.tensorInfo("w", shape: [256], type: 19, offset: 0)
        b.pad(to: 32)
        let file = try parse(b.bytes)
        #expect(throws: ModelFileError.self) { try file.dequantize("w") }
        do {
            _ = try file.dequantize("w")
        } catch {
            #expect("\(error)".hasPrefix("hostile.gguf: tensor w: tensor type IQ1_S (type 19) is not supported"))
        }
    }

    @Test("rejects unknown metadata types, bad booleans, invalid UTF-8, and a bad alignment")
    func badMetadata() {
        var b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.string("k")
        b.u32(13)
        #expect(message(b.bytes) == "hostile.gguf: key k: unknown metadata value type 13")

        b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.string("k")
        b.u32(7)
        b.u8(2)
        #expect(message(b.bytes)?.contains("boolean byte is 2") == true)

        b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.u64(2)
        b.bytes += [0xC3, 0x28]
        b.bytes += [UInt8](repeating: 0, count: 32)
        #expect(message(b.bytes)?.contains("metadata key is not valid UTF-8") == true)

        b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.keyU32("general.alignment", 48)
        #expect(message(b.bytes)?.contains("alignment must be a power of two") == true)
    }

    @Test("reports a missing file with its path")
    func missingFile() {
        #expect(throws: ModelFileError.self) { try GGUFFile(path: "/nonexistent/model.gguf") }
    }
}
