import Foundation
import Testing

@testable import LLM

/// Malformed or unsupported tokenizers must be refused with the field named — never tokenized
/// wrongly, never a crash (`ReaderFuzzTests` adds random mutations on top of these cases).
@Suite("tokenizer readers on hostile files")
struct TokenizerHostileFileTests {
    /// A tiny valid GPT-2-style tokenizer.json; each test breaks one part of it.
    static func json(
        model: [String: Any] = [:], root: [String: Any] = [:], removing: [String] = []
    ) -> [String: Any] {
        var m: [String: Any] = ["type": "BPE", "vocab": ["a": 0, "b": 1, "ab": 2], "merges": ["a b"]]
        m.merge(model) { $1 }
        var r: [String: Any] = [
            "model": m,
            "added_tokens": [["id": 3, "content": "<|x|>", "special": true]],
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "use_regex": true],
        ]
        r.merge(root) { $1 }
        for key in removing { r[key] = nil }
        return r
    }

    private func message(_ object: Any) -> String? {
        message(try! JSONSerialization.data(withJSONObject: object))
    }

    private func message(_ data: Data) -> String? {
        do {
            _ = try Tokenizer(tokenizerJSON: data, file: "t.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("the untouched tiny tokenizer.json loads and encodes, so each rejection below is the broken part's")
    func baseline() throws {
        let data = try JSONSerialization.data(withJSONObject: Self.json())
        let tokenizer = try Tokenizer(tokenizerJSON: data, file: "t.json")
        #expect(tokenizer.encode("ab<|x|>ba") == [2, 3, 1, 0])
        #expect(tokenizer.decode([2, 3]) == "ab<|x|>")
    }

    @Test("rejects text that is not JSON, or not an object")
    func notJSON() {
        #expect(message(Data("{\"model\": ".utf8)) == "t.json: is not valid JSON")
        #expect(message(Data("[1, 2]".utf8)) == "t.json: (root): must be a JSON object")
        #expect(message(Self.json(removing: ["model"])) == "t.json: model: required object is missing")
    }

    @Test("refuses models other than byte-level BPE, naming the field")
    func unsupportedModels() {
        #expect(
            message(Self.json(model: ["type": "Unigram"])) == "t.json: model.type: Unigram is not supported (BPE)")
        #expect(
            message(Self.json(model: ["byte_fallback": true]))
                == "t.json: model.byte_fallback: byte-fallback (SentencePiece-style) BPE is not supported")
        #expect(
            message(Self.json(root: ["normalizer": ["type": "NFKC"]]))
                == "t.json: normalizer: only none or NFC is supported")
        #expect(
            message(Self.json(removing: ["pre_tokenizer"]))
                == "t.json: pre_tokenizer: a byte-level pre-tokenizer is required")
        let whitespace = message(Self.json(root: ["pre_tokenizer": ["type": "Whitespace"]]))
        #expect(whitespace?.hasPrefix("t.json: pre_tokenizer: this pre-tokenizer configuration") == true)
    }

    @Test("refuses a Split pre-tokenizer whose pattern is not a known family's")
    func unknownSplitPattern() {
        let pre: [String: Any] = [
            "type": "Sequence",
            "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": "\\w+"], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false],
            ],
        ]
        #expect(
            message(Self.json(root: ["pre_tokenizer": pre]))
                == "t.json: pre_tokenizer.pretokenizers[0].pattern: split pattern \\w+ is not a known family")
    }

    @Test("rejects token ids that are negative, huge, fractional, shared or leave holes")
    func badIDs() {
        for bad: Any in [-1, 1e300, 0.5, 1 << 40, "0"] {
            #expect(
                message(Self.json(model: ["vocab": ["a": 0, "b": 1, "ab": bad]]))
                    == "t.json: model.vocab.ab: must be a token id", "id \(bad)")
        }
        #expect(
            message(Self.json(model: ["vocab": ["a": 0, "b": 1, "ab": 1]]))
                == "t.json: model.vocab: token id 1 is given to more than one token")
        #expect(
            message(Self.json(model: ["vocab": ["a": 0, "b": 1, "ab": 3]], root: ["added_tokens": []]))
                == "t.json: model.vocab.ab: must be a token id")
        #expect(
            message(Self.json(root: ["added_tokens": [["id": 4, "content": "<|x|>"], ["id": 0, "content": "a"]]]))
                == "t.json: model.vocab: token ids are not contiguous: no token has id 3")
        #expect(
            message(Self.json(root: ["added_tokens": [["id": 3, "content": ""]]]))
                == "t.json: added_tokens[0]: needs an id and a non-empty content")
    }

    @Test("rejects merges that are malformed or name tokens missing from the vocabulary")
    func badMerges() {
        #expect(
            message(Self.json(model: ["merges": ["ab"]]))
                == "t.json: model.merges[0]: must be \"left right\" or [left, right]")
        #expect(
            message(Self.json(model: ["merges": [["a", "b", "c"]]]))
                == "t.json: model.merges[0]: must be \"left right\" or [left, right]")
        #expect(
            message(Self.json(model: ["merges": ["a b", "b a"]]))
                == "t.json: merges[1]: merge \"b a\" names a token missing from the vocabulary")
        #expect(message(Self.json(model: ["merges": NSNull()])) == "t.json: model.merges: required list is missing")
    }

    /// A GGUF file holding only tokenizer metadata with the given values; nil when it loads and
    /// encodes "ab" as the merged token.
    private func ggufMessage(model: String = "gpt2", pre: String = "gpt2", types: [UInt32]? = nil, bos: UInt32 = 0)
        -> String?
    {
        var b = GGUFBuilder()
        b.header(tensors: 0, keys: types == nil ? 5 : 6)
        func key(_ name: String, _ value: String) {
            b.string(name)
            b.u32(8)
            b.string(value)
        }
        func strings(_ name: String, _ values: [String]) {
            b.string(name)
            b.u32(9)
            b.u32(8)
            b.u64(UInt64(values.count))
            for v in values { b.string(v) }
        }
        key("tokenizer.ggml.model", model)
        key("tokenizer.ggml.pre", pre)
        strings("tokenizer.ggml.tokens", ["a", "b", "ab"])
        strings("tokenizer.ggml.merges", ["a b"])
        b.keyU32("tokenizer.ggml.bos_token_id", bos)
        if let types {
            b.string("tokenizer.ggml.token_type")
            b.u32(9)
            b.u32(5)
            b.u64(UInt64(types.count))
            for t in types { b.u32(t) }
        }
        do {
            let tokenizer = try Tokenizer(gguf: GGUFFile(bytes: FileBytes(bytes: b.bytes, name: "t.gguf")))
            return tokenizer.encode("ab") == [2] ? nil : "wrong ids"
        } catch {
            return "\(error)"
        }
    }

    @Test("refuses GGUF tokenizers it cannot reproduce, and bad token metadata, naming the key")
    func ggufMetadata() {
        #expect(ggufMessage() == nil)
        #expect(ggufMessage(types: [1, 1, 1]) == nil)
        #expect(
            ggufMessage(model: "llama")
                == "t.gguf: key tokenizer.ggml.model: tokenizer model \"llama\" is not supported"
                + " (only byte-level BPE, \"gpt2\")")
        #expect(
            ggufMessage(pre: "chatglm-bpe")?.hasPrefix(
                "t.gguf: key tokenizer.ggml.pre: pre-tokenizer \"chatglm-bpe\" is not supported") == true)
        #expect(ggufMessage(types: [1, 1]) == "t.gguf: key tokenizer.ggml.token_type: has 2 entries for 3 tokens")
        #expect(ggufMessage(bos: 3) == "t.gguf: key tokenizer.ggml.bos_token_id: is not a token id")
    }

    @Test("GGUF tokenizer metadata with hostile values is rejected with the key named")
    func ggufTokenizerMetadata() throws {
        var b = GGUFBuilder()
        b.header(tensors: 0, keys: 3)
        b.string("tokenizer.ggml.model")
        b.u32(8)
        b.string("gpt2")
        b.string("tokenizer.ggml.tokens")
        b.u32(9)
        b.u32(8)
        b.u64(2)
        b.string("a")
        b.string("b")
        b.string("tokenizer.ggml.merges")
        b.u32(9)
        b.u32(8)
        b.u64(1)
        b.string("a c")
        let file = try GGUFFile(bytes: FileBytes(bytes: b.bytes, name: "tok.gguf"))
        #expect(throws: ModelFileError.self) { try Tokenizer(gguf: file) }
        do {
            _ = try Tokenizer(gguf: file)
        } catch {
            #expect("\(error)" == "tok.gguf: merges[0]: merge \"a c\" names a token missing from the vocabulary")
        }
    }
}
