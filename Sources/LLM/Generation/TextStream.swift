/// Turns generated tokens into text pieces safe to show as they arrive.
///
/// Byte-level BPE tokens are byte strings: a character can span two tokens, so a piece ends only
/// at a UTF-8 boundary. Text that could still become a stop string is held back until it cannot;
/// when a stop string appears, the text ends just before it (what `transformers`'
/// `StopStringCriteria` plus trimming gives).
struct TextStream {
    let tokenizer: Tokenizer
    let stopStrings: [[UInt8]]
    private(set) var bytes: [UInt8] = []
    /// Bytes already handed out.
    private(set) var emitted = 0
    /// Where a stop string began, once one has.
    private(set) var stopIndex: Int?

    init(tokenizer: Tokenizer, stopStrings: [String]) {
        self.tokenizer = tokenizer
        self.stopStrings = stopStrings.map { Array($0.utf8) }
    }

    /// Appends a token; returns the newly safe text (possibly empty).
    mutating func append(_ token: Int) -> String {
        guard stopIndex == nil else { return "" }
        let searchFrom = max(0, bytes.count - (stopStrings.map(\.count).max() ?? 0) + 1)
        bytes += tokenizer.decodeBytes([token])
        if let stop = firstStop(from: searchFrom) {
            stopIndex = stop
            return take(upTo: stop)
        }
        return take(upTo: safeEnd())
    }

    /// Everything not yet handed out (at the end of generation).
    mutating func flush() -> String { take(upTo: stopIndex ?? bytes.count) }

    /// The final text: all bytes before the stop string, if any.
    var text: String { String(decoding: bytes[0..<(stopIndex ?? bytes.count)], as: UTF8.self) }

    private mutating func take(upTo end: Int) -> String {
        guard end > emitted else { return "" }
        let piece = String(decoding: bytes[emitted..<end], as: UTF8.self)
        emitted = end
        return piece
    }

    private func firstStop(from start: Int) -> Int? {
        var best: Int?
        for stop in stopStrings where bytes.count >= stop.count {
            var i = max(0, start - stop.count + 1)
            while i + stop.count <= bytes.count {
                if bytes[i] == stop[0] && bytes[i..<(i + stop.count)].elementsEqual(stop) {
                    if best == nil || i < best! { best = i }
                    break
                }
                i += 1
            }
        }
        return best
    }

    /// The end of the text that can no longer change: before any suffix that begins a stop
    /// string, and before an incomplete UTF-8 character.
    private func safeEnd() -> Int {
        var end = bytes.count
        for stop in stopStrings {
            for length in stride(from: min(stop.count - 1, bytes.count), to: 0, by: -1)
            where bytes[(bytes.count - length)...].elementsEqual(stop[0..<length]) {
                end = min(end, bytes.count - length)
                break
            }
        }
        // Back off over a trailing incomplete multi-byte sequence.
        var lead = end - 1
        var continuation = 0
        while lead >= emitted && lead >= 0 && bytes[lead] & 0xC0 == 0x80 && continuation < 3 {
            lead -= 1
            continuation += 1
        }
        if lead >= emitted && lead >= 0 {
            let b = bytes[lead]
            let needed = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0
            if needed > continuation { end = lead }
        }
        return max(end, emitted)
    }
}
