import Foundation
import Testing

@testable import LLM

private struct ExpectedTensor: Decodable {
    let type: String
    let shape: [Int]
    let values: [Float]
}

@Suite("GGUF reader")
struct GGUFReaderTests {
    let file: GGUFFile

    init() throws {
        file = try GGUFFile(path: Fixtures.path("GGUF/quants.gguf"))
    }

    @Test("reads every metadata value type written by gguf-py, including nested arrays")
    func metadataTypes() {
        #expect(file.version == 3)
        #expect(file.architecture == "llama")
        #expect(file["test.u8"] == .uint8(200))
        #expect(file["test.i8"] == .int8(-100))
        #expect(file["test.u16"] == .uint16(60000))
        #expect(file["test.i16"] == .int16(-30000))
        #expect(file["test.u32"] == .uint32(4_000_000_000))
        #expect(file["test.i32"] == .int32(-2_000_000_000))
        #expect(file["test.f32"] == .float32(0.15625))
        #expect(file["test.bool"] == .bool(true))
        #expect(file["test.string"] == .string("héllo ✓ 🙂"))
        #expect(file["test.u64"] == .uint64(18_000_000_000_000_000_000))
        #expect(file["test.i64"] == .int64(-9_000_000_000_000_000_000))
        #expect(file["test.f64"] == .float64(2.718281828459045))
        #expect(file["test.array.i32"]?.ints == [1, -2, 3])
        #expect(file["test.array.string"]?.strings == ["a", "", "ü"])
        let nested = file["test.array.nested"]?.array?.map { $0.ints }
        #expect(nested == [[1, 2], [3], [4, 5, 6]])
        #expect(file.metadataKeys.first == "general.architecture")
    }

    @Test("honours general.alignment for the data section and tensor offsets")
    func alignment() {
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.tensors.allSatisfy { $0.offset % 64 == 0 })
    }

    @Test("dequantizes every supported type exactly as gguf-py does")
    func dequantizesLikeReference() throws {
        let expected = try Fixtures.json([String: ExpectedTensor].self, "GGUF/quants.expected.json")
        #expect(Set(expected.keys) == Set(file.tensors.map(\.name)))
        for (name, reference) in expected.sorted(by: { $0.key < $1.key }) {
            let info = try file.tensor(name)
            #expect(info.typeName == reference.type, "\(name)")
            #expect(info.shape == reference.shape, "\(name)")
            expectClose(try file.dequantize(name), reference.values, tolerance: 1e-6, name)
        }
    }

    @Test("reads version 2 files, which share version 3's little-endian layout")
    func version2() throws {
        var bytes = try Fixtures.bytes("GGUF/quants.gguf")
        bytes[4] = 2
        let v2 = try GGUFFile(bytes: FileBytes(bytes: bytes, name: "v2.gguf"))
        #expect(v2.version == 2)
        #expect(try v2.dequantize("t.q4_1") == file.dequantize("t.q4_1"))
    }

    @Test("maps the data instead of copying it: tensor bytes point into the file mapping")
    func memoryMapped() throws {
        let info = try file.tensor("t.q8_0")
        let data = try file.data(of: info)
        let base = file.bytes.buffer.baseAddress!
        #expect(data.baseAddress! - base == file.dataOffset + info.offset)
        #expect(data.count == info.byteCount)
    }
}

@Suite("GGUF reader on the embedded SmolLM2 model")
struct SmolLM2GGUFTests {
    private struct Slice: Decodable {
        let type: String
        let shape: [Int]
        let count: Int
        let head: [Float]
        let midOffset: Int
        let mid: [Float]
    }

    @Test("reads the model's architecture, hyper-parameters and tokenizer metadata")
    func metadata() throws {
        let file = try GGUFFile(path: Fixtures.smolLM2Path())
        #expect(file.architecture == "llama")
        #expect(file["llama.block_count"]?.int == 30)
        #expect(file["llama.embedding_length"]?.int == 576)
        #expect(file["llama.attention.head_count"]?.int == 9)
        #expect(file["llama.attention.head_count_kv"]?.int == 3)
        #expect(file["llama.rope.freq_base"]?.double == 100_000)
        #expect(file["tokenizer.ggml.pre"]?.string == "smollm")
        #expect(file["tokenizer.ggml.tokens"]?.strings?.count == 49152)
        #expect(file["tokenizer.ggml.merges"]?.strings?.count == 48900)
        #expect(file.tensors.count == 272)
        #expect(file.tensors.filter { $0.type == .q4_1 }.count == 210)
        #expect(try file.tensor("token_embd.weight").shape == [576, 49152])
    }

    @Test("dequantizes Q8_0, Q4_1 and F32 tensors of the real model as gguf-py does")
    func slicesMatchReference() throws {
        let file = try GGUFFile(path: Fixtures.smolLM2Path())
        let slices = try Fixtures.json([String: Slice].self, "GGUF/smollm2_slices.json")
        for (name, slice) in slices {
            let info = try file.tensor(name)
            #expect(info.typeName == slice.type)
            #expect(info.shape == slice.shape)
            let values = try file.dequantize(name)
            #expect(values.count == slice.count)
            expectClose(Array(values.prefix(slice.head.count)), slice.head, tolerance: 1e-6, name)
            expectClose(
                Array(values[slice.midOffset..<(slice.midOffset + slice.mid.count)]), slice.mid, tolerance: 1e-6, name)
        }
    }

    @Test("fused Q4_1 and Q8_0 row dot products stay within the activation rounding of dequantize-then-dot")
    func fusedDot() throws {
        let file = try GGUFFile(path: Fixtures.smolLM2Path())
        for name in ["blk.3.attn_q.weight", "token_embd.weight"] {
            let info = try file.tensor(name)
            let raw = try file.data(of: info)
            let columns = info.rowLength
            let x = (0..<columns).map { Float(sin(Double($0) * 0.37)) }
            let dense = try file.dequantize(name)
            var fused = [Float](repeating: 0, count: 8)
            x.withUnsafeBufferPointer { xp in
                fused.withUnsafeMutableBufferPointer { yp in
                    QuantizedDot.matvec(
                        info.type!, weights: raw.baseAddress!, rows: 8, columns: columns, xp.baseAddress!,
                        into: yp.baseAddress!)
                }
            }
            let reference = (0..<8).map { r in (0..<columns).reduce(Float(0)) { $0 + dense[r * columns + $1] * x[$1] } }
            // The kernels quantize x to 8 bits per block of 32 (|x| ≤ 1 here: a step of 1/127), so each
            // product is off by at most |w|·(1/127)/2; the bound sums that over the row.
            for r in 0..<8 {
                let bound = (0..<columns).reduce(Float(0)) { $0 + abs(dense[r * columns + $1]) } / 254 + 1e-4
                #expect(abs(fused[r] - reference[r]) <= bound, "\(name) row \(r)")
            }
        }
    }
}
