import Foundation

/// A byte-level BPE tokenizer (GPT-2, Llama-3, Qwen2, SmolLM2/StarCoder families), built from
/// GGUF metadata or a Hugging Face `tokenizer.json`.
///
/// Encoding matches Hugging Face `tokenizers` (the golden fixtures hold its ids for 263 strings
/// and four vocabularies): added/special tokens are cut out of the text first (leftmost, longest
/// first), the rest is normalized (NFC for Qwen2), pre-tokenized by the family's scanner, and
/// each word is merged by `BytePairEncoding`. Decoding concatenates token bytes, so
/// `decode(encode(x)) == x` for any text the normalizer leaves unchanged.
public struct Tokenizer: Sendable {
    public let preTokenizer: PreTokenizer
    /// Whether text is NFC-normalized before pre-tokenization (Qwen2).
    public let normalizesNFC: Bool
    /// The bytes of each token; for added tokens, their UTF-8 content.
    let tokenBytes: [[UInt8]]
    let tokenStrings: [String]
    let model: BytePairEncoding
    let addedTokens: AddedTokenMatcher
    /// Ids of special tokens (control tokens in GGUF terms), skipped by `decode(skipSpecialTokens:)`.
    public let specialTokenIDs: Set<Int>
    public internal(set) var bosTokenID: Int?
    public internal(set) var eosTokenID: Int?

    public var vocabularySize: Int { tokenStrings.count }

    /// Builds a tokenizer from a vocabulary in byte-level form.
    /// - Parameters:
    ///   - tokens: token strings by id, in the byte-level alphabet (added tokens as plain text).
    ///   - merges: merge pairs by rank, each as the two byte-level token strings.
    ///   - added: ids of tokens matched verbatim in text before BPE, with whether each is special.
    init(
        tokens: [String], merges: [(String, String)], added: [(id: Int, special: Bool)], preTokenizer: PreTokenizer,
        normalizesNFC: Bool, ignoreMerges: Bool, bosTokenID: Int?, eosTokenID: Int?, file: String
    ) throws {
        self.preTokenizer = preTokenizer
        self.normalizesNFC = normalizesNFC
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        tokenStrings = tokens
        let addedIDs = Set(added.map(\.id))
        var bytes: [[UInt8]] = []
        bytes.reserveCapacity(tokens.count)
        var byID: [String: Int32] = [:]
        byID.reserveCapacity(tokens.count)
        var byteTokens = [Int32](repeating: -1, count: 256)
        for (id, token) in tokens.enumerated() {
            let decoded = addedIDs.contains(id) ? Array(token.utf8) : (ByteLevel.decode(token) ?? Array(token.utf8))
            if decoded.count == 1 && !addedIDs.contains(id) && byteTokens[Int(decoded[0])] < 0 {
                byteTokens[Int(decoded[0])] = Int32(id)
            }
            bytes.append(decoded)
            if byID[token] == nil { byID[token] = Int32(id) }
        }
        tokenBytes = bytes
        var mergeTable: [UInt64: (rank: Int32, id: Int32)] = [:]
        mergeTable.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let l = byID[left], let r = byID[right], let merged = byID[left + right] else {
                throw ModelFileError(
                    .invalidValue, file: file, location: "merges[\(rank)]",
                    "merge \"\(left) \(right)\" names a token missing from the vocabulary")
            }
            let key = BytePairEncoding.key(l, r)
            if mergeTable[key] == nil { mergeTable[key] = (Int32(rank), merged) }
        }
        var wholeWords: [[UInt8]: Int32]?
        if ignoreMerges {
            var table: [[UInt8]: Int32] = [:]
            for (id, token) in bytes.enumerated() where !addedIDs.contains(id) && table[token] == nil {
                table[token] = Int32(id)
            }
            wholeWords = table
        }
        model = BytePairEncoding(byteTokens: byteTokens, merges: mergeTable, wholeWords: wholeWords)
        addedTokens = AddedTokenMatcher(added.map { (Array(tokens[$0.id].utf8), $0.id) })
        specialTokenIDs = Set(added.filter(\.special).map(\.id))
    }

    /// The token ids of `text`. Added and special tokens written in the text (`<|im_start|>`)
    /// become their ids, as `tokenizers` does by default.
    public func encode(_ text: String) -> [Int] {
        var out: [Int] = []
        var text = text
        text.withUTF8 { buffer in
            out.reserveCapacity(buffer.count / 3)
            addedTokens.split(buffer) { piece in
                switch piece {
                case .token(let id): out.append(id)
                case .text(let range): encodeOrdinary(UnsafeBufferPointer(rebasing: buffer[range]), into: &out)
                }
            }
        }
        return out
    }

    func encodeOrdinary(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [Int]) {
        if normalizesNFC && bytes.contains(where: { $0 >= 0x80 }) {
            var normalized = String(decoding: bytes, as: UTF8.self).precomposedStringWithCanonicalMapping
            normalized.withUTF8 { encodeNormalized($0, into: &out) }
        } else {
            encodeNormalized(bytes, into: &out)
        }
    }

    func encodeNormalized(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [Int]) {
        preTokenizer.split(bytes) { range in
            model.encode(UnsafeBufferPointer(rebasing: bytes[range]), into: &out)
        }
    }

    /// The text of `ids`. Invalid UTF-8 (a multi-byte character cut between tokens) becomes U+FFFD.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        String(decoding: decodeBytes(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// The raw bytes of `ids`, for streaming decoders that must hold back incomplete characters.
    public func decodeBytes(_ ids: [Int], skipSpecialTokens: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids where id >= 0 && id < tokenBytes.count {
            if skipSpecialTokens && specialTokenIDs.contains(id) { continue }
            bytes += tokenBytes[id]
        }
        return bytes
    }

    /// The id of a token given as its vocabulary string (`<|im_end|>`, `Ġhello`).
    public func id(of token: String) -> Int? {
        if let id = addedTokens.id(of: Array(token.utf8)) { return id }
        return tokenStrings.firstIndex(of: token)
    }

    /// The vocabulary string of `id`.
    public func token(_ id: Int) -> String? { tokenStrings.indices.contains(id) ? tokenStrings[id] : nil }
}
