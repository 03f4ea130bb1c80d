/// Finds added and special tokens (`<|im_start|>`, `<|endoftext|>`) in text before BPE runs,
/// as `tokenizers`' `AddedVocabulary` does: at each position the longest token that matches
/// wins, scanning left to right (leftmost-longest).
struct AddedTokenMatcher: Sendable {
    enum Piece {
        case token(Int)
        case text(Range<Int>)
    }

    /// Candidate tokens by first byte, longest first.
    private let byFirstByte: [[(bytes: [UInt8], id: Int)]]
    private let starts: [Bool]

    init(_ tokens: [([UInt8], Int)]) {
        var table = [[(bytes: [UInt8], id: Int)]](repeating: [], count: 256)
        for (bytes, id) in tokens where !bytes.isEmpty { table[Int(bytes[0])].append((bytes, id)) }
        for i in 0..<256 { table[i].sort { $0.bytes.count > $1.bytes.count } }
        byFirstByte = table
        starts = table.map { !$0.isEmpty }
    }

    func id(of bytes: [UInt8]) -> Int? {
        guard let first = bytes.first else { return nil }
        return byFirstByte[Int(first)].first { $0.bytes == bytes }?.id
    }

    /// Calls `body` with the ordinary text between added tokens and with each added token, in order.
    func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (Piece) -> Void) {
        var textStart = 0
        var i = 0
        let n = text.count
        while i < n {
            if starts[Int(text[i])], let (length, id) = match(text, at: i) {
                if textStart < i { body(.text(textStart..<i)) }
                body(.token(id))
                i += length
                textStart = i
            } else {
                i += 1
            }
        }
        if textStart < n { body(.text(textStart..<n)) }
    }

    private func match(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, Int)? {
        for candidate in byFirstByte[Int(text[i])] where candidate.bytes.count <= text.count - i {
            var equal = true
            for k in 1..<candidate.bytes.count where text[i + k] != candidate.bytes[k] {
                equal = false
                break
            }
            if equal { return (candidate.bytes.count, candidate.id) }
        }
        return nil
    }
}
