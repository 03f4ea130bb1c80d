import Foundation
import Testing

@testable import LLM

/// Token ids from Hugging Face `tokenizers` on `corpus.json` (see `Fixtures/Tokenizer/make_fixtures.py`).
@Suite("tokenizer against Hugging Face tokenizers")
struct TokenizerGoldenTests {
    static let corpus: [String] = (try? Fixtures.json([String].self, "Tokenizer/corpus.json")) ?? []

    /// Compares every corpus string, reporting at most a few mismatches with the text that failed.
    private func expectMatches(
        _ tokenizer: Tokenizer, _ expectedFile: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try Fixtures.json([[Int]].self, expectedFile)
        #expect(Self.corpus.count >= 200, sourceLocation: sourceLocation)
        #expect(expected.count == Self.corpus.count, sourceLocation: sourceLocation)
        var mismatches = 0
        for (text, ids) in zip(Self.corpus, expected) {
            let actual = tokenizer.encode(text)
            if actual != ids {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(text.debugDescription): \(actual) != \(ids)", sourceLocation: sourceLocation)
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(Self.corpus.count) strings differ", sourceLocation: sourceLocation)
    }

    @Test("encodes like tokenizers with SmolLM2's vocabulary read from the embedded GGUF")
    func smolLM2() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: Fixtures.smolLM2Path()))
        #expect(tokenizer.preTokenizer == .smolLM)
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.eosTokenID == 2)
        try expectMatches(tokenizer, "Tokenizer/smollm2.expected.json")
    }

    @Test("encodes like tokenizers with a GPT-2-style tokenizer.json")
    func gpt2() throws {
        let tokenizer = try Tokenizer(tokenizerJSONAt: Fixtures.path("Tokenizer/gpt2.tokenizer.json"))
        #expect(tokenizer.preTokenizer == .gpt2)
        try expectMatches(tokenizer, "Tokenizer/gpt2.expected.json")
    }

    @Test("encodes like tokenizers with a Qwen2-style tokenizer.json (NFC, single digits)")
    func qwen2() throws {
        let tokenizer = try Tokenizer(tokenizerJSONAt: Fixtures.path("Tokenizer/qwen2.tokenizer.json"))
        #expect(tokenizer.preTokenizer == .qwen2)
        #expect(tokenizer.normalizesNFC)
        try expectMatches(tokenizer, "Tokenizer/qwen2.expected.json")
    }

    @Test("encodes like tokenizers with a Llama-3-style tokenizer.json (digit triples, ignore_merges)")
    func llama3() throws {
        let tokenizer = try Tokenizer(tokenizerJSONAt: Fixtures.path("Tokenizer/llama3.tokenizer.json"))
        #expect(tokenizer.preTokenizer == .llama3)
        try expectMatches(tokenizer, "Tokenizer/llama3.expected.json")
    }

    @Test("decode(encode(x)) gives back x exactly for every corpus string")
    func roundTrip() throws {
        let smol = try Tokenizer(gguf: GGUFFile(path: Fixtures.smolLM2Path()))
        let qwen = try Tokenizer(tokenizerJSONAt: Fixtures.path("Tokenizer/qwen2.tokenizer.json"))
        let gpt2 = try Tokenizer(tokenizerJSONAt: Fixtures.path("Tokenizer/gpt2.tokenizer.json"))
        let llama3 = try Tokenizer(tokenizerJSONAt: Fixtures.path("Tokenizer/llama3.tokenizer.json"))
        for text in Self.corpus {
            #expect(smol.decode(smol.encode(text)) == text)
            #expect(gpt2.decode(gpt2.encode(text)) == text)
            #expect(llama3.decode(llama3.encode(text)) == text)
            // Qwen2 normalizes to NFC first, so it round-trips the NFC form.
            #expect(qwen.decode(qwen.encode(text)) == text.precomposedStringWithCanonicalMapping)
        }
    }

    @Test("keeps special tokens whole and can drop them when decoding")
    func specialTokens() throws {
        let smol = try Tokenizer(gguf: GGUFFile(path: Fixtures.smolLM2Path()))
        let ids = smol.encode("<|im_start|>user\nHi<|im_end|>")
        #expect(ids.first == 1)
        #expect(ids.last == 2)
        #expect(smol.decode(ids, skipSpecialTokens: true) == "user\nHi")
        #expect(smol.id(of: "<|im_end|>") == 2)
        #expect(smol.token(2) == "<|im_end|>")
    }
}
