import Foundation

/// A Hugging Face `tokenizer.json` and `tokenizer_config.json` rebuilt from a GGUF file's
/// `tokenizer.ggml.*` metadata, so a model exported from a GGUF base loads in `transformers`
/// with the tokenizer it was trained with.
///
/// The mapping inverts llama.cpp's converter (`gguf-py` `SpecialVocab` and `get_vocab_base`):
/// every token goes in `model.vocab` by id; CONTROL (3) tokens become special `added_tokens`,
/// USER_DEFINED (4) ones non-special added tokens; merges are written `"left right"` in rank
/// order; the pre-tokenizer is the `tokenizers` configuration of the `tokenizer.ggml.pre` family,
/// the same shapes ``TokenizerJSON`` recognises (ByteLevel for GPT-2, Digits + ByteLevel for
/// SmolLM2/StarCoder, Split + ByteLevel for Llama-3 and Qwen2, NFC normalizer for Qwen2). BOS is
/// prepended by a `TemplateProcessing` post-processor only when `tokenizer.ggml.add_bos_token`
/// says so, as for Llama 3.
enum TokenizerJSONWriter {
    static func tokenizerJSON(gguf file: GGUFFile) throws -> Data {
        let name = file.bytes.name
        guard file["tokenizer.ggml.model"]?.string == "gpt2" else {
            throw ModelFileError(
                .unsupportedType, file: name, location: "key tokenizer.ggml.model",
                "only byte-level BPE (\"gpt2\") tokenizers can be written as tokenizer.json")
        }
        guard let tokens = file["tokenizer.ggml.tokens"]?.strings, let merges = file["tokenizer.ggml.merges"]?.strings
        else {
            throw ModelFileError(
                .invalidValue, file: name, location: "key tokenizer.ggml.tokens", "tokens or merges missing")
        }
        let types = file["tokenizer.ggml.token_type"]?.ints ?? []
        let preName = file["tokenizer.ggml.pre"]?.string ?? "default"
        guard let pre = PreTokenizer(ggufName: preName) else {
            throw ModelFileError(
                .unsupportedType, file: name, location: "key tokenizer.ggml.pre", "pre-tokenizer \(preName) is unknown")
        }
        var vocab: [String: Int] = [:]
        var added: [[String: Any]] = []
        for (id, token) in tokens.enumerated() {
            let type = id < types.count ? types[id] : 1
            if type == 3 || type == 4 {
                added.append([
                    "id": id, "content": token, "single_word": false, "lstrip": false, "rstrip": false,
                    "normalized": type == 4, "special": type == 3,
                ])
            }
            if vocab[token] == nil {
                vocab[token] = id
            } else if type != 3 && type != 4 {
                throw ModelFileError(
                    .invalidValue, file: name, location: "key tokenizer.ggml.tokens[\(id)]",
                    "token \(token) appears twice; tokenizer.json cannot hold both")
            }
        }
        let byteLevel: (Bool) -> [String: Any] = { useRegex in
            ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": useRegex]
        }
        let preTokenizer: [String: Any]
        switch pre {
        case .gpt2: preTokenizer = byteLevel(true)
        case .smolLM:
            preTokenizer = [
                "type": "Sequence",
                "pretokenizers": [["type": "Digits", "individual_digits": true], byteLevel(true)],
            ]
        case .llama3, .qwen2:
            let pattern = pre == .llama3 ? PreTokenizer.llama3Pattern : PreTokenizer.qwen2Pattern
            preTokenizer = [
                "type": "Sequence",
                "pretokenizers": [
                    ["type": "Split", "pattern": ["Regex": pattern], "behavior": "Isolated", "invert": false],
                    byteLevel(false),
                ],
            ]
        }
        var postProcessor: Any = [
            "type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true,
        ]
        if file["tokenizer.ggml.add_bos_token"]?.bool == true, let bos = file["tokenizer.ggml.bos_token_id"]?.int,
            bos < tokens.count
        {
            let token = tokens[bos]
            postProcessor = [
                "type": "TemplateProcessing",
                "single": [["SpecialToken": ["id": token, "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
                "pair": [
                    ["SpecialToken": ["id": token, "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]],
                    ["SpecialToken": ["id": token, "type_id": 1]], ["Sequence": ["id": "B", "type_id": 1]],
                ],
                "special_tokens": [token: ["id": token, "ids": [bos], "tokens": [token]]],
            ]
        }
        let json: [String: Any] = [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added,
            "normalizer": pre == .qwen2 ? ["type": "NFC"] : NSNull(), "pre_tokenizer": preTokenizer,
            "post_processor": postProcessor,
            "decoder": ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true],
            "model": [
                "type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "continuing_subword_prefix": NSNull(),
                "end_of_word_suffix": NSNull(), "fuse_unk": false, "byte_fallback": false,
                "ignore_merges": pre == .llama3, "vocab": vocab, "merges": merges,
            ] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    }

    /// `tokenizer_config.json`: the BOS/EOS tokens by content, whether BOS is added, the chat template.
    static func tokenizerConfig(gguf file: GGUFFile) throws -> [String: Any] {
        let tokens = file["tokenizer.ggml.tokens"]?.strings ?? []
        func token(_ key: String) -> Any {
            guard let id = file[key]?.int, id >= 0, id < tokens.count else { return NSNull() }
            return tokens[id]
        }
        var json: [String: Any] = [
            "tokenizer_class": "PreTrainedTokenizerFast", "bos_token": token("tokenizer.ggml.bos_token_id"),
            "eos_token": token("tokenizer.ggml.eos_token_id"),
            "add_bos_token": file["tokenizer.ggml.add_bos_token"]?.bool ?? false,
            "clean_up_tokenization_spaces": false,
        ]
        if let pad = file["tokenizer.ggml.padding_token_id"]?.int, pad < tokens.count {
            json["pad_token"] = tokens[pad]
        }
        if let unknown = file["tokenizer.ggml.unknown_token_id"]?.int, unknown < tokens.count {
            json["unk_token"] = tokens[unknown]
        }
        if let context = file[(file.architecture ?? "llama") + ".context_length"]?.int {
            json["model_max_length"] = context
        }
        if let template = file["tokenizer.chat_template"]?.string { json["chat_template"] = template }
        return json
    }
}
