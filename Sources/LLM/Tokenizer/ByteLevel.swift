/// GPT-2's byte-level alphabet: every byte gets a printable Unicode character so that BPE
/// vocabularies can be stored as text (`bytes_to_unicode` in OpenAI's `encoder.py`, the
/// `ByteLevel` pre-tokenizer of Hugging Face `tokenizers`). Printable Latin-1 bytes map to
/// themselves; the other 68 bytes map to U+0100 onwards in byte order (space → `Ġ`, newline → `Ċ`).
enum ByteLevel {
    /// `character[b]` is the character standing for byte `b`.
    static let characters: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `characters`, indexed by scalar value (all values are below 0x144).
    static let bytes: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in characters.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// The bytes a byte-level token string stands for, or nil if it holds a character outside the alphabet.
    static func decode(_ token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard scalar.value < 0x144 else { return nil }
            let byte = bytes[Int(scalar.value)]
            guard byte >= 0 else { return nil }
            out.append(UInt8(byte))
        }
        return out
    }
}
