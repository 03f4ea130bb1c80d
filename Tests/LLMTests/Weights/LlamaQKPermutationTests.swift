import Testing

@testable import LLM

@Suite("llama q/k row permutation")
struct LlamaQKPermutationTests {
    private struct Fixture: Decodable {
        let heads: Int
        let kvHeads: Int
        let headDim: Int
        let columns: Int
        let hfQ: [Float]
        let ggufQ: [Float]
        let hfK: [Float]
        let ggufK: [Float]
    }

    @Test("un-permuting GGUF q and k rows gives back the Hugging Face weights the converter started from")
    func matchesConverter() throws {
        let f = try Fixtures.json(Fixture.self, "GGUF/qk_permute.json")
        #expect(LlamaQKPermutation.toHuggingFace(f.ggufQ, heads: f.heads, columns: f.columns) == f.hfQ)
        #expect(LlamaQKPermutation.toHuggingFace(f.ggufK, heads: f.kvHeads, columns: f.columns) == f.hfK)
        #expect(LlamaQKPermutation.toGGUF(f.hfQ, heads: f.heads, columns: f.columns) == f.ggufQ)
        #expect(LlamaQKPermutation.toGGUF(f.hfK, heads: f.kvHeads, columns: f.columns) == f.ggufK)
        #expect(f.ggufQ != f.hfQ)
    }

    @Test("restores the embedded model's q and k rows to the order transformers' GGUF loader gives")
    func realModel() throws {
        struct Rows: Decodable {
            let rows: [Int]
            let columns: Int
            let values: [[Float]]
        }
        let expected = try Fixtures.json([String: Rows].self, "GGUF/smollm2_hf_layout.json")
        let file = try GGUFFile(path: Fixtures.smolLM2Path())
        for (name, heads) in [("blk.0.attn_q.weight", 9), ("blk.0.attn_k.weight", 3)] {
            let info = try file.tensor(name)
            let columns = info.rowLength
            let restored = LlamaQKPermutation.toHuggingFace(try file.dequantize(name), heads: heads, columns: columns)
            let reference = try #require(expected[name])
            for (row, values) in zip(reference.rows, reference.values) {
                let actual = Array(restored[(row * columns)..<(row * columns + reference.columns)])
                expectClose(actual, values, tolerance: 0, "\(name) row \(row)")
            }
        }
    }

    @Test("applies to llama-architecture files only")
    func architectures() {
        #expect(LlamaQKPermutation.isPermuted(architecture: "llama"))
        #expect(!LlamaQKPermutation.isPermuted(architecture: "qwen2"))
    }
}
