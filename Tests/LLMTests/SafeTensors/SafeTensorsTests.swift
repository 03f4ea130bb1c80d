import Foundation
import Testing

@testable import LLM

@Suite("safetensors")
struct SafeTensorsTests {
    private struct Expected: Decodable {
        let dtype: String
        let shape: [Int]
        let values: [Float]
    }

    @Test("reads F32, F16, BF16 and scalar tensors and the metadata written by the safetensors library")
    func readsReferenceFile() throws {
        let file = try SafeTensorsFile(path: Fixtures.path("SafeTensors/small.safetensors"))
        let expected = try Fixtures.json([String: Expected].self, "SafeTensors/small.expected.json")
        #expect(file.metadata == ["format": "pt", "note": "fixture"])
        #expect(Set(file.tensors.map(\.name)) == Set(expected.keys))
        for (name, reference) in expected {
            let info = try file.tensor(name)
            #expect(info.dtype.rawValue == reference.dtype)
            #expect(info.shape == reference.shape)
            #expect(try file.floats(name) == reference.values, "\(name)")
        }
    }

    @Test("writes files it reads back exactly, in every float dtype, with an 8-byte aligned header")
    func roundTrip() throws {
        let values: [Float] = [0, 1, -2.5, 3.14159, 65504, 1e-3]
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        writer.add(.init(name: "a.f32", dtype: .f32, shape: [2, 3], values: values))
        writer.add(.init(name: "b.f16", dtype: .f16, shape: [6], values: values))
        writer.add(.init(name: "c.bf16", dtype: .bf16, shape: [3, 2], values: values))
        let bytes = try writer.encoded()
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let file = try SafeTensorsFile(bytes: FileBytes(bytes: bytes, name: "written.safetensors"))
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.floats("a.f32") == values)
        #expect(try file.floats("b.f16") == values.map { Float(Float16($0)) })
        // bf16 keeps 8 significant bits: round to nearest even.
        #expect(try file.floats("c.bf16") == [0, 1, -2.5, 3.140625, 65536, 0.00099945068359375])
        // Larger elements first, as the reference serializer orders them.
        #expect(file.tensors.map(\.name) == ["a.f32", "b.f16", "c.bf16"])
    }

    @Test("rejects truncated, overlapping, mis-sized and malformed files with the tensor named")
    func hostileFiles() throws {
        func file(_ header: String, dataBytes: Int) -> [UInt8] {
            var out: [UInt8] = []
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out += $0 }
            return out + Array(header.utf8) + [UInt8](repeating: 0, count: dataBytes)
        }
        func message(_ bytes: [UInt8]) -> String? {
            do {
                _ = try SafeTensorsFile(bytes: FileBytes(bytes: bytes, name: "bad.safetensors"))
                return nil
            } catch {
                return "\(error)"
            }
        }
        let whole = try Fixtures.bytes("SafeTensors/small.safetensors")
        for length in 0..<whole.count {
            #expect(message(Array(whole[0..<length])) != nil, "prefix of \(length) bytes")
        }
        #expect(
            message(file(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 8))
                == "bad.safetensors: tensor w: data_offsets end 16 is past the end of the data (8 bytes); is the file truncated?"
        )
        #expect(
            message(file(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, dataBytes: 16))?
                .contains("span 16 bytes but shape [3] of F32 needs 12") == true)
        #expect(
            message(
                file(
                    #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#,
                    dataBytes: 16))?.contains("overlaps") == true)
        #expect(
            message(file(#"{"w":{"dtype":"Q4","shape":[4],"data_offsets":[0,4]}}"#, dataBytes: 4))?.contains(
                "unknown dtype Q4") == true)
        #expect(message(file(#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, dataBytes: 4)) != nil)
        #expect(message(file("[1,2]", dataBytes: 0)) == "bad.safetensors: header: the JSON header is not an object")
        #expect(message(file("{not json", dataBytes: 0)) == "bad.safetensors: header: the JSON header does not parse")
        var huge: [UInt8] = []
        withUnsafeBytes(of: UInt64.max.littleEndian) { huge += $0 }
        #expect(message(huge)?.contains("exceeds 100 MB") == true)
    }
}
