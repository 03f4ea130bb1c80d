import Foundation
import Testing

@testable import LLM

@Suite("GGUF writer and quantizer")
struct GGUFWriterTests {
    struct QuantFixture: Decodable {
        let values: [Float]
        let q8_0: String
        let f16: String
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("Q8_0 and F16 encodings equal gguf-py's byte for byte, ties and zero blocks included")
    func matchesGGUFPy() throws {
        let fixture = try Fixtures.json(QuantFixture.self, "Export/quant_q8_0.json")
        #expect(Self.hex(Quantize.encode(fixture.values, as: .q8_0)) == fixture.q8_0)
        #expect(Self.hex(Quantize.encode(fixture.values, as: .f16)) == fixture.f16)
    }

    @Test("Q8_0 round trips through our dequantizer within half a step per block (plus the fp16 scale's rounding)")
    func q8RoundTrip() throws {
        let values = (0..<256).map { Float(sin(Double($0) * 0.37)) * Float($0 % 7 + 1) }
        let bytes = Quantize.encode(values, as: .q8_0)
        let decoded = try bytes.withUnsafeBytes { try Dequantize.toFloat(.q8_0, $0, count: values.count) }
        for block in 0..<8 {
            let range = block * 32..<(block + 1) * 32
            let step = values[range].map(abs).max()! / 127
            // |x − q·fp16(d)| ≤ d/2 + 127·|d − fp16(d)| ≤ d·(0.5 + 127·2⁻¹¹)
            for i in range { #expect(abs(decoded[i] - values[i]) <= step * 0.563, "value \(i)") }
        }
    }

    @Test("metadata of every value type, nested arrays and a custom alignment read back through our reader")
    func metadataRoundTrip() throws {
        var writer = GGUFWriter(alignment: 64)
        let values: [(String, GGUFValue)] = [
            ("u8", .uint8(200)), ("i8", .int8(-5)), ("u16", .uint16(60000)), ("i16", .int16(-300)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-7)), ("u64", .uint64(1 << 40)),
            ("i64", .int64(-(1 << 40))),
            ("f32", .float32(1.5)), ("f64", .float64(-2.25)), ("yes", .bool(true)), ("no", .bool(false)),
            ("text", .string("ünïcödé → {{ messages }}")), ("empty", .array(.string, [])),
            ("ints", .array(.int32, [.int32(1), .int32(-2)])),
            ("nested", .array(.array, [.array(.uint8, [.uint8(1)]), .array(.string, [.string("a"), .string("b")])])),
        ]
        for (key, value) in values { writer.set(key, value) }
        writer.set("u8", .uint8(201))  // replaced in place, order kept
        try writer.addTensor(name: "m", shape: [32, 3], values: (0..<96).map(Float.init), as: .q8_0)
        try writer.addTensor(name: "v", shape: [5], values: [1, 2, 3, 4, 5], as: .f32)
        try writer.addTensor(name: "h", shape: [4, 2], values: [0.5, 1, -2, 3, 0, 0, 65504, -1], as: .f16)
        let path = temporaryPath("writer") + ".gguf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writer.write(to: path)

        let file = try GGUFFile(path: path)
        #expect(file.version == 3 && file.alignment == 64)
        #expect(file.metadataKeys == ["general.alignment"] + values.map(\.0))
        for (key, value) in values where key != "u8" { #expect(file[key] == value, "\(key)") }
        #expect(file["u8"] == .uint8(201))
        #expect(file.dataOffset % 64 == 0)
        #expect(try file.dequantize("v") == [1, 2, 3, 4, 5])
        #expect(try file.dequantize("h") == [0.5, 1, -2, 3, 0, 0, 65504, -1])
        #expect(try file.tensor("m").shape == [32, 3] && file.tensor("m").offset % 64 == 0)
        #expect(try file.tensor("h").offset % 64 == 0)
        expectClose(try file.dequantize("m"), (0..<96).map(Float.init), tolerance: 0.4, "q8_0 matrix")
    }

    @Test("tensors whose bytes do not fit their shape, and mistyped arrays, are refused with the name")
    func refusesBadInput() throws {
        var writer = GGUFWriter()
        #expect(throws: GGUFWriterError.self) { try writer.addTensor(name: "x", shape: [3], type: .f32, data: [0, 0]) }
        #expect(throws: GGUFWriterError.self) {
            try writer.addTensor(name: "q", shape: [16], values: [Float](repeating: 0, count: 16), as: .q8_0)
        }
        try writer.addTensor(name: "x", shape: [1], values: [1], as: .f32)
        #expect(throws: GGUFWriterError.self) { try writer.addTensor(name: "x", shape: [1], values: [1], as: .f32) }
        writer.set("bad", .array(.int32, [.string("no")]))
        do {
            _ = try writer.serialized()
            Issue.record("a mistyped array was written")
        } catch {
            #expect(String(describing: error).contains("bad"))
        }
    }
}
