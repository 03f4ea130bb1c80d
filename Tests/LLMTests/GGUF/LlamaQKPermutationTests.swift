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

    @Test("applies to llama-architecture files only")
    func architectures() {
        #expect(LlamaQKPermutation.isPermuted(architecture: "llama"))
        #expect(!LlamaQKPermutation.isPermuted(architecture: "qwen2"))
    }
}
