/// Turns token ids into text one id at a time, for streamed generation output.
///
/// Byte-level BPE tokens need not end on a character boundary: an emoji is often two or three
/// tokens, and decoding each alone would print U+FFFD. The decoder keeps the bytes of an unfinished
/// UTF-8 sequence until the token completing it arrives (as `transformers`' `TextStreamer` and
/// llama.cpp's `common_token_to_piece` callers do), so the chunks it returns concatenate to exactly
/// `tokenizer.decode(ids)` for any ids whose bytes are valid UTF-8.
public struct TokenStreamDecoder: Sendable {
    public let tokenizer: Tokenizer
    public let skipSpecialTokens: Bool
    private var pending: [UInt8] = []

    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// The text that `id` completes; empty while a character is still unfinished.
    public mutating func append(_ id: Int) -> String {
        pending += tokenizer.decodeBytes([id], skipSpecialTokens: skipSpecialTokens)
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is still held back (an unfinished character becomes U+FFFD); call when generation stops.
    public mutating func finish() -> String {
        defer { pending = [] }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence.
    /// Only the last three bytes can belong to an unfinished character; anything malformed is let
    /// through (and shows as U+FFFD) rather than held back for ever.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var i = bytes.count - 1
        while i >= 0 && i >= bytes.count - 4 {
            let byte = bytes[i]
            if byte & 0xC0 != 0x80 {  // ASCII or a lead byte: the start of the last character
                let length = byte < 0xC0 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                return bytes.count - i >= length ? bytes.count : i
            }
            i -= 1
        }
        return bytes.count
    }
}
