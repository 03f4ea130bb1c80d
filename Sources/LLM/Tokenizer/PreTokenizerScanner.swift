/// The hand-written matchers behind `PreTokenizer`. The text is decoded once into scalars with
/// a character class each; every scanner then walks the class array and reports word
/// boundaries as byte ranges. Each branch below is one alternative of the family's regex, in
/// the regex's order, with the backtracking of `\s+(?!\S)` and `\s*[\r\n]+` worked out by hand.
struct PreTokenizerScanner {
    // Character classes; `\s` is Unicode White_Space (Oniguruma's `\s`), split into \r\n and the rest.
    static let other: UInt8 = 0, letter: UInt8 = 1, number: UInt8 = 2, space: UInt8 = 3, newline: UInt8 = 4

    static let asciiClasses: [UInt8] = (0..<128).map { value in
        let s = Unicode.Scalar(UInt8(value))
        switch s {
        case "\n", "\r": return newline
        case "\t", "\u{0B}", "\u{0C}", " ": return space
        case "a"..."z", "A"..."Z": return letter
        case "0"..."9": return number
        default: return other
        }
    }

    static func classify(_ s: Unicode.Scalar) -> UInt8 {
        if s.value < 128 { return asciiClasses[Int(s.value)] }
        let properties = s.properties
        if properties.isWhitespace { return space }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return letter
        case .decimalNumber, .letterNumber, .otherNumber: return number
        default: return other
        }
    }

    let text: UnsafeBufferPointer<UInt8>
    var scalars: [UInt32] = []
    var classes: [UInt8] = []
    /// Byte offset of each scalar, plus the text length at the end.
    var offsets: [Int] = []

    init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        scalars.reserveCapacity(text.count)
        classes.reserveCapacity(text.count)
        offsets.reserveCapacity(text.count + 1)
        var i = 0
        let n = text.count
        while i < n {
            let lead = text[i]
            var value: UInt32
            var length: Int
            if lead < 0x80 {
                value = UInt32(lead)
                length = 1
            } else if lead < 0xE0 {
                value = UInt32(lead & 0x1F)
                length = 2
            } else if lead < 0xF0 {
                value = UInt32(lead & 0x0F)
                length = 3
            } else {
                value = UInt32(lead & 0x07)
                length = 4
            }
            length = min(length, n - i)
            for k in 1..<max(length, 1) { value = value << 6 | UInt32(text[i + k] & 0x3F) }
            offsets.append(i)
            scalars.append(value)
            classes.append(
                value < 128 ? Self.asciiClasses[Int(value)] : Self.classify(Unicode.Scalar(value) ?? "\u{FFFD}"))
            i += length
        }
        offsets.append(n)
    }

    var count: Int { scalars.count }

    @inline(__always) func isSpace(_ i: Int) -> Bool { classes[i] >= Self.space }

    /// Length (in scalars) of a contraction `'s 't 're 've 'm 'll 'd` at `i`, or 0.
    func contraction(at i: Int, end: Int, ignoreCase: Bool) -> Int {
        guard scalars[i] == 0x27, i + 1 < end else { return 0 }
        func lower(_ k: Int) -> UInt32 {
            let v = scalars[k]
            return ignoreCase && v >= 0x41 && v <= 0x5A ? v | 0x20 : v
        }
        switch lower(i + 1) {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        case 0x72, 0x76:  // r v → 're 've
            return i + 2 < end && lower(i + 2) == 0x65 ? 3 : 0
        case 0x6C:  // l → 'll
            return i + 2 < end && lower(i + 2) == 0x6C ? 3 : 0
        default: return 0
        }
    }

    /// `\s+(?!\S)|\s+` at a whitespace scalar `i`: the run, less its last scalar when a word follows.
    func whitespaceRun(_ i: Int, end: Int) -> Int {
        var k = i
        while k < end && isSpace(k) { k += 1 }
        if k < end && k - i >= 2 { return k - 1 }
        return k
    }

    func emit(_ from: Int, _ to: Int, _ body: (Range<Int>) -> Void) { body(offsets[from]..<offsets[to]) }

    /// The GPT-2 pattern over scalars `start..<end`.
    func scanGPT2(_ start: Int, _ end: Int, _ body: (Range<Int>) -> Void) {
        var i = start
        while i < end {
            let c = contraction(at: i, end: end, ignoreCase: false)
            if c > 0 {
                emit(i, i + c, body)
                i += c
                continue
            }
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional space, then a run of one class.
            var j = i
            if scalars[i] == 0x20 && i + 1 < end && !isSpace(i + 1) { j = i + 1 }
            let cls = classes[j]
            if cls <= Self.number {
                var k = j + 1
                while k < end && classes[k] == cls { k += 1 }
                emit(i, k, body)
                i = k
                continue
            }
            let k = whitespaceRun(i, end: end)
            emit(i, k, body)
            i = k
        }
    }

    /// The Llama-3 / Qwen2 pattern; `maxDigits` is 3 for Llama-3 and 1 for Qwen2.
    func scanLlama3(maxDigits: Int, _ body: (Range<Int>) -> Void) {
        let end = count
        var i = 0
        while i < end {
            let c = contraction(at: i, end: end, ignoreCase: true)
            if c > 0 {
                emit(i, i + c, body)
                i += c
                continue
            }
            let cls = classes[i]
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if cls == Self.letter
                || (cls != Self.number && cls != Self.newline && i + 1 < end && classes[i + 1] == Self.letter)
            {
                var k = i + 1
                while k < end && classes[k] == Self.letter { k += 1 }
                emit(i, k, body)
                i = k
                continue
            }
            // `\p{N}{1,3}`
            if cls == Self.number {
                var k = i + 1
                while k < end && k - i < maxDigits && classes[k] == Self.number { k += 1 }
                emit(i, k, body)
                i = k
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            var j = i
            if scalars[i] == 0x20 && i + 1 < end && classes[i + 1] == Self.other { j = i + 1 }
            if classes[j] == Self.other {
                var k = j + 1
                while k < end && classes[k] == Self.other { k += 1 }
                while k < end && classes[k] == Self.newline { k += 1 }
                emit(i, k, body)
                i = k
                continue
            }
            // `\s*[\r\n]+`: the whitespace run up to and including its last \r or \n.
            var k = i
            var lastNewline = -1
            while k < end && isSpace(k) {
                if classes[k] == Self.newline { lastNewline = k }
                k += 1
            }
            if lastNewline >= 0 {
                emit(i, lastNewline + 1, body)
                i = lastNewline + 1
                continue
            }
            let stop = whitespaceRun(i, end: end)
            emit(i, stop, body)
            i = stop
        }
    }

    /// SmolLM2 / StarCoder: each digit alone, the GPT-2 pattern on the text between digits.
    func scanDigitsThenGPT2(_ body: (Range<Int>) -> Void) {
        var i = 0
        let end = count
        while i < end {
            if classes[i] == Self.number {
                emit(i, i + 1, body)
                i += 1
                continue
            }
            var k = i
            while k < end && classes[k] != Self.number { k += 1 }
            scanGPT2(i, k, body)
            i = k
        }
    }
}
