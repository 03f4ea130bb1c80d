import Foundation
import Testing

@testable import LLM

/// Our tokenizer read from the Qwen2.5-Coder-0.5B GGUF against Hugging Face `tokenizers` (the fast tokenizer
/// that transformers' own converter builds from the same GGUF; `scripts/fixtures/make_qwen_coder_fixtures.py`).
/// Needs `clarifycoder data fetch --only qwen2.5-coder-0.5b`.
@Suite("Qwen2.5-Coder tokenizer against Hugging Face tokenizers")
struct QwenCoderTokenizerTests {
    @Test("encodes every fixture string (code, unicode, whitespace runs, numbers, special tokens) to the same ids")
    func sameIDs() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: QwenCoder.path()))
        let fixture = try Fixtures.json(QwenCoderTokensFixture.self, "QwenCoder/tokens.json")
        #expect(tokenizer.preTokenizer == .qwen2)
        #expect(tokenizer.vocabularySize == 151_936)
        #expect(fixture.cases.count >= 200)
        var mismatches = 0
        for item in fixture.cases {
            let actual = tokenizer.encode(item.text)
            if actual != item.ids {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(item.text.debugDescription): \(actual) != \(item.ids)") }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(fixture.cases.count) strings differ from \(fixture.reference)")
    }

    @Test("keeps chat, FIM and end-of-text tokens whole, with Qwen's ids")
    func specialTokens() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: QwenCoder.path()))
        let expected = [
            "<|endoftext|>": 151643, "<|im_start|>": 151644, "<|im_end|>": 151645, "<|fim_prefix|>": 151659,
            "<|fim_middle|>": 151660, "<|fim_suffix|>": 151661, "<|fim_pad|>": 151662, "<|repo_name|>": 151663,
            "<|file_sep|>": 151664,
        ]
        for (text, id) in expected {
            #expect(tokenizer.encode(text) == [id], "\(text)")
            #expect(tokenizer.decode([id]) == text)
        }
    }

    @Test("decode(encode(x)) gives back the NFC form of every fixture string")
    func roundTrip() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: QwenCoder.path()))
        let fixture = try Fixtures.json(QwenCoderTokensFixture.self, "QwenCoder/tokens.json")
        for item in fixture.cases {
            #expect(tokenizer.decode(item.ids) == item.text.precomposedStringWithCanonicalMapping, "\(item.ids)")
        }
    }
}
