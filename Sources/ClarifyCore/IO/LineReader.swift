import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a ``ByteSource`` into lines, holding at most one chunk plus one line in memory.
///
/// Line endings are `\n`; a `\r` before it is dropped (CRLF files). A final line without a
/// newline is still a line — it is how a truncated file ends, and the JSON decoder then says
/// so for that line. A line past `maxLineBytes` is reported and its remaining bytes are
/// skipped without being buffered, so one huge line cannot exhaust memory.
final class LineReader {
    /// A line's bytes (without terminator), or a line that exceeded the limit.
    enum Item {
        case line(number: Int, bytes: Data)
        case tooLong(number: Int)
    }

    private let source: any ByteSource
    private let maxLineBytes: Int
    private var chunk: UnsafeMutableRawBufferPointer
    private var chunkStart = 0
    private var chunkEnd = 0
    private var pending = Data()
    private var atEnd = false
    private(set) var lineNumber = 0

    init(source: any ByteSource, chunkBytes: Int, maxLineBytes: Int) {
        self.source = source
        self.maxLineBytes = maxLineBytes
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkBytes, 16), alignment: 16)
    }

    deinit { chunk.deallocate() }

    var fileBytesRead: Int { source.fileBytesRead }

    func next() throws(JSONLError) -> Item? {
        var overflowed = false
        while true {
            if chunkStart == chunkEnd {
                if atEnd { break }
                chunkStart = 0
                chunkEnd = try source.read(into: chunk)
                if chunkEnd == 0 {
                    atEnd = true
                    break
                }
            }
            let base = chunk.baseAddress! + chunkStart
            let available = chunkEnd - chunkStart
            if let found = memchr(base, 0x0A, available) {
                let length = base.distance(to: UnsafeMutableRawPointer(found))
                if !overflowed { append(base, length, overflowed: &overflowed) }
                chunkStart += length + 1
                lineNumber += 1
                return finish(overflowed: overflowed)
            }
            if !overflowed { append(base, available, overflowed: &overflowed) }
            chunkStart = chunkEnd
        }
        // End of input: a last line without a newline, if any bytes are pending.
        if pending.isEmpty && !overflowed { return nil }
        lineNumber += 1
        return finish(overflowed: overflowed)
    }

    private func append(_ base: UnsafeMutableRawPointer, _ length: Int, overflowed: inout Bool) {
        if pending.count + length > maxLineBytes {
            overflowed = true
            pending = Data()
            return
        }
        pending.append(base.assumingMemoryBound(to: UInt8.self), count: length)
    }

    private func finish(overflowed: Bool) -> Item {
        if overflowed {
            pending = Data()
            return .tooLong(number: lineNumber)
        }
        var line = pending
        pending = Data()
        if line.last == 0x0D { line.removeLast() }
        return .line(number: lineNumber, bytes: line)
    }
}

/// UTF-8 validation per RFC 3629 (no overlongs, no surrogates, nothing past U+10FFFF).
/// Returns the offset where the first invalid sequence starts, or `nil` when the bytes are valid.
func firstInvalidUTF8Offset(_ bytes: UnsafeRawBufferPointer) -> Int? {
    let count = bytes.count
    var index = 0
    // ASCII fast path, eight bytes at a time.
    while index + 8 <= count {
        let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 != 0 { break }
        index += 8
    }
    while index < count {
        let lead = bytes[index]
        if lead < 0x80 {
            index += 1
            continue
        }
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: return index
        }
        guard index + length <= count else { return index }
        let second = bytes[index + 1]
        if second < lower || second > upper { return index }
        for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
            return index
        }
        index += length
    }
    return nil
}
