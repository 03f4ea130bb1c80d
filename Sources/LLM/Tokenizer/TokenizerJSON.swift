import Foundation

/// The parts of a Hugging Face `tokenizer.json` a byte-level BPE tokenizer needs, validated.
///
/// The pre-tokenizer is recognised by shape, not interpreted: `ByteLevel(use_regex)` is GPT-2;
/// `Sequence[Digits(individual_digits), ByteLevel(use_regex)]` is SmolLM2/StarCoder;
/// `Sequence[Split(<pattern>, Isolated), ByteLevel(use_regex: false)]` is Llama-3 or Qwen2 by
/// the pattern. Anything else is refused with the field named, rather than tokenized wrongly.
struct TokenizerJSON {
    var tokens: [String] = []
    var merges: [(String, String)] = []
    var added: [(id: Int, special: Bool)] = []
    var preTokenizer: PreTokenizer = .gpt2
    var normalizesNFC = false
    var ignoreMerges = false

    init(_ data: Data, file: String) throws {
        func invalid(_ field: String, _ reason: String) -> ModelFileError {
            ModelFileError(.invalidValue, file: file, location: field, reason)
        }
        func unsupported(_ field: String, _ reason: String) -> ModelFileError {
            ModelFileError(.unsupportedType, file: file, location: field, reason)
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ModelFileError(.invalidValue, file: file, "is not valid JSON")
        }
        guard let root = parsed as? [String: Any] else { throw invalid("(root)", "must be a JSON object") }
        guard let model = root["model"] as? [String: Any] else { throw invalid("model", "required object is missing") }
        guard (model["type"] as? String ?? "BPE") == "BPE" else {
            throw unsupported("model.type", "\(model["type"] ?? "") is not supported (BPE)")
        }
        if let fallback = model["byte_fallback"] as? Bool, fallback {
            throw unsupported("model.byte_fallback", "byte-fallback (SentencePiece-style) BPE is not supported")
        }
        ignoreMerges = model["ignore_merges"] as? Bool ?? false
        guard let vocab = model["vocab"] as? [String: Any] else {
            throw invalid("model.vocab", "required object is missing")
        }

        // Ids must be contiguous, so none can exceed the number of entries; checked before allocating.
        let limit = vocab.count + ((root["added_tokens"] as? [Any])?.count ?? 0)
        var byID: [Int: String] = [:]
        byID.reserveCapacity(vocab.count)
        for (token, value) in vocab {
            guard let id = jsonInt(value), id >= 0, id < limit else {
                throw invalid("model.vocab.\(token)", "must be a token id")
            }
            // Two tokens sharing an id would make one of them unreachable, silently.
            guard byID.updateValue(token, forKey: id) == nil else {
                throw invalid("model.vocab", "token id \(id) is given to more than one token")
            }
        }
        if let list = root["added_tokens"] as? [Any] {
            for (i, entry) in list.enumerated() {
                guard let token = entry as? [String: Any], let id = token["id"].flatMap(jsonInt), id >= 0,
                    id < limit, let content = token["content"] as? String, !content.isEmpty
                else { throw invalid("added_tokens[\(i)]", "needs an id and a non-empty content") }
                byID[id] = content
                added.append((id, token["special"] as? Bool ?? false))
            }
        }
        let count = (byID.keys.max() ?? -1) + 1
        tokens = [String](repeating: "", count: count)
        for (id, token) in byID { tokens[id] = token }
        if byID.count != count, let hole = (0..<count).first(where: { byID[$0] == nil }) {
            throw invalid("model.vocab", "token ids are not contiguous: no token has id \(hole)")
        }

        guard let rawMerges = model["merges"] as? [Any] else {
            throw invalid("model.merges", "required list is missing")
        }
        merges.reserveCapacity(rawMerges.count)
        for (i, merge) in rawMerges.enumerated() {
            if let string = merge as? String, let space = string.firstIndex(of: " ") {
                merges.append((String(string[..<space]), String(string[string.index(after: space)...])))
            } else if let pair = merge as? [Any], pair.count == 2, let l = pair[0] as? String,
                let r = pair[1] as? String
            {
                merges.append((l, r))
            } else {
                throw invalid("model.merges[\(i)]", "must be \"left right\" or [left, right]")
            }
        }

        switch root["normalizer"] {
        case nil, is NSNull: normalizesNFC = false
        case let normalizer as [String: Any] where normalizer["type"] as? String == "NFC": normalizesNFC = true
        default: throw unsupported("normalizer", "only none or NFC is supported")
        }
        preTokenizer = try Self.recognise(root["pre_tokenizer"], unsupported: unsupported)
    }

    static func recognise(
        _ value: Any?, unsupported: (String, String) -> ModelFileError
    ) throws -> PreTokenizer {
        func byteLevel(_ step: [String: Any], useRegex: Bool) -> Bool {
            step["type"] as? String == "ByteLevel" && (step["add_prefix_space"] as? Bool ?? false) == false
                && (step["use_regex"] as? Bool ?? true) == useRegex
        }
        guard let pre = value as? [String: Any] else {
            throw unsupported("pre_tokenizer", "a byte-level pre-tokenizer is required")
        }
        if byteLevel(pre, useRegex: true) { return .gpt2 }
        if pre["type"] as? String == "Sequence", let steps = pre["pretokenizers"] as? [[String: Any]], steps.count == 2
        {
            if steps[0]["type"] as? String == "Digits", steps[0]["individual_digits"] as? Bool == true,
                byteLevel(steps[1], useRegex: true)
            {
                return .smolLM
            }
            if steps[0]["type"] as? String == "Split", byteLevel(steps[1], useRegex: false),
                (steps[0]["behavior"] as? String)?.lowercased() == "isolated",
                let pattern = (steps[0]["pattern"] as? [String: Any])?["Regex"] as? String
            {
                if pattern == PreTokenizer.llama3Pattern { return .llama3 }
                if pattern == PreTokenizer.qwen2Pattern { return .qwen2 }
                throw unsupported(
                    "pre_tokenizer.pretokenizers[0].pattern", "split pattern \(pattern) is not a known family")
            }
        }
        throw unsupported(
            "pre_tokenizer", "this pre-tokenizer configuration is not supported (GPT-2, Llama-3, Qwen2, SmolLM2)")
    }
}

/// An integer from a JSON number, without trapping on huge or fractional values
/// (`NSNumber.intValue` of 1e300 is not a safe conversion).
func jsonInt(_ value: Any) -> Int? {
    guard let number = value as? NSNumber else { return nil }
    let double = number.doubleValue
    guard double.rounded() == double, abs(double) < 9e15 else { return nil }
    return Int(double)
}
