import Foundation

extension Tokenizer {
    /// The tokenizer stored in a GGUF file's metadata (`tokenizer.ggml.*`, as written by
    /// llama.cpp's converter): tokens, merges, token types (control and user-defined tokens are
    /// matched verbatim before BPE, as llama.cpp does with `parse_special`), the pre-tokenizer name.
    public init(gguf file: GGUFFile) throws {
        let name = file.bytes.name
        func missing(_ key: String) -> ModelFileError {
            ModelFileError(
                .invalidValue, file: name, location: "key \(key)", "required key is missing or has the wrong type")
        }
        let model = file["tokenizer.ggml.model"]?.string ?? ""
        guard model == "gpt2" else {
            throw ModelFileError(
                .unsupportedType, file: name, location: "key tokenizer.ggml.model",
                "tokenizer model \"\(model)\" is not supported (only byte-level BPE, \"gpt2\")")
        }
        guard let tokens = file["tokenizer.ggml.tokens"]?.strings else { throw missing("tokenizer.ggml.tokens") }
        guard let mergeStrings = file["tokenizer.ggml.merges"]?.strings else { throw missing("tokenizer.ggml.merges") }
        let types = file["tokenizer.ggml.token_type"]?.ints ?? []
        guard types.isEmpty || types.count == tokens.count else {
            throw ModelFileError(
                .invalidValue, file: name, location: "key tokenizer.ggml.token_type",
                "has \(types.count) entries for \(tokens.count) tokens")
        }
        let preName = file["tokenizer.ggml.pre"]?.string ?? "default"
        guard let pre = PreTokenizer(ggufName: preName) else {
            throw ModelFileError(
                .unsupportedType, file: name, location: "key tokenizer.ggml.pre",
                "pre-tokenizer \"\(preName)\" is not supported (gpt2, llama3, qwen2, smollm/starcoder families)")
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(mergeStrings.count)
        for (i, merge) in mergeStrings.enumerated() {
            guard let space = merge.firstIndex(of: " ") else {
                throw ModelFileError(
                    .invalidValue, file: name, location: "key tokenizer.ggml.merges[\(i)]",
                    "\"\(merge)\" is not two tokens")
            }
            merges.append((String(merge[..<space]), String(merge[merge.index(after: space)...])))
        }
        // llama.cpp token types: 3 = control (special), 4 = user-defined (added, not special).
        let added = types.enumerated().compactMap { id, type -> (id: Int, special: Bool)? in
            type == 3 || type == 4 ? (id, type == 3) : nil
        }
        func tokenID(_ key: String) throws -> Int? {
            guard let value = file[key] else { return nil }
            guard let id = value.int, id >= 0, id < tokens.count else {
                throw ModelFileError(.invalidValue, file: name, location: "key \(key)", "is not a token id")
            }
            return id
        }
        try self.init(
            tokens: tokens, merges: merges, added: added, preTokenizer: pre, normalizesNFC: pre == .qwen2,
            ignoreMerges: pre == .llama3, bosTokenID: try tokenID("tokenizer.ggml.bos_token_id"),
            eosTokenID: try tokenID("tokenizer.ggml.eos_token_id"), file: name)
    }

    /// Reads a Hugging Face `tokenizer.json` (BPE model, byte-level pre-tokenizer of a known family).
    public init(tokenizerJSONAt path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelFileError(.cannotOpen, file: path, "cannot read tokenizer.json")
        }
        try self.init(tokenizerJSON: data, file: path)
    }

    public init(tokenizerJSON data: Data, file: String) throws {
        let json = try TokenizerJSON(data, file: file)
        try self.init(
            tokens: json.tokens, merges: json.merges, added: json.added, preTokenizer: json.preTokenizer,
            normalizesNFC: json.normalizesNFC, ignoreMerges: json.ignoreMerges, bosTokenID: nil, eosTokenID: nil,
            file: file)
    }
}
