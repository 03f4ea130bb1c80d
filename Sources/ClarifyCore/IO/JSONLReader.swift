import Foundation

/// What to do with a bad line: stop with its error (the default), or skip it — skipped lines
/// are always counted and listed in ``JSONLStats``, never dropped silently.
public enum OnError: String, Sendable, Codable, CaseIterable {
    case fail
    case skip
}

/// Knobs of ``JSONLReader``. The defaults read any sane file.
public struct JSONLReadOptions: Sendable {
    public var onError: OnError
    /// Longest accepted line. Longer lines are errors, skipped without being held in memory.
    public var maxLineBytes: Int
    /// Size of each read from the file.
    public var chunkBytes: Int
    /// How many skipped-line errors are kept in ``JSONLStats/errors`` (all are counted).
    public var maxListedErrors: Int

    public init(
        onError: OnError = .fail, maxLineBytes: Int = 256 << 20, chunkBytes: Int = 1 << 20,
        maxListedErrors: Int = 1000
    ) {
        self.onError = onError
        self.maxLineBytes = maxLineBytes
        self.chunkBytes = chunkBytes
        self.maxListedErrors = maxListedErrors
    }
}

/// What a read saw, besides the records themselves.
public struct JSONLStats: Sendable, Codable, Hashable {
    /// Records decoded successfully.
    public var records = 0
    /// Lines holding only whitespace; ignored.
    public var blankLines = 0
    /// Lines skipped under `--on-error skip`.
    public var skipped = 0
    /// The first ``JSONLReadOptions/maxListedErrors`` skipped-line errors, in file order.
    public var errors: [JSONLError] = []
    /// Whether the file began with a UTF-8 byte-order mark (stripped).
    public var byteOrderMark = false
    /// Lines read in all.
    public var lines = 0
    /// Bytes consumed from the file (compressed bytes for gzip).
    public var fileBytes = 0

    public init() {}
}

/// One raw line handed to a decoding closure.
public struct JSONLLine: Sendable {
    /// 1-based line number in the (decompressed) file.
    public var number: Int
    /// The line's bytes: valid UTF-8, without terminator, BOM or surrounding blank-line handling.
    public var bytes: Data
}

/// Streams records from a JSONL (or `.jsonl.gz`) file in bounded memory.
///
/// Every error names the file, the line and, for decoding errors, the field path taken from
/// the `Codable` coding path. Under ``OnError/skip`` a bad line is recorded in ``stats`` and
/// reading goes on; under ``OnError/fail`` the error is thrown.
///
/// ```swift
/// let reader = try JSONLReader(path: "train.jsonl")
/// while let dialogue = try reader.next(Dialogue.self) { … }
/// print(reader.stats.skipped)
/// ```
public final class JSONLReader {
    public let path: String
    public let options: JSONLReadOptions
    public private(set) var stats = JSONLStats()
    private let lines: LineReader
    private let lineDecoder = JSONLineDecoder()
    private lazy var foundationDecoder = JSONDecoder()

    public init(path: String, options: JSONLReadOptions = JSONLReadOptions()) throws(JSONLError) {
        self.path = path
        self.options = options
        lines = LineReader(
            source: try openByteSource(path: path), chunkBytes: options.chunkBytes, maxLineBytes: options.maxLineBytes)
    }

    /// Decodes the next record as `T`, or returns `nil` at the end of the file.
    public func next<T: Decodable>(_ type: T.Type) throws(JSONLError) -> T? {
        try next { line, decoder in try decoder.decode(T.self, from: line.bytes) }
    }

    /// Hands the next non-blank line to `transform`, mapping what it throws to a located error
    /// (`DecodingError` → field path; ``JSONLError`` → its file and line filled in) and applying
    /// the error policy. Returns `nil` at the end of the file.
    public func next<T>(_ transform: (JSONLLine, JSONLineDecoder) throws -> T) throws(JSONLError) -> T? {
        let decoder = lineDecoder
        return try nextLine { line in try transform(line, decoder) }
    }

    /// The same with Foundation's `JSONDecoder`, for callers written against it; slower (see
    /// ``JSONLineDecoder``), so a closure that could take either gets the other overload.
    @_disfavoredOverload
    public func next<T>(_ transform: (JSONLLine, JSONDecoder) throws -> T) throws(JSONLError) -> T? {
        let decoder = foundationDecoder
        return try nextLine { line in try transform(line, decoder) }
    }

    private func nextLine<T>(_ transform: (JSONLLine) throws -> T) throws(JSONLError) -> T? {
        while true {
            let line: JSONLLine
            do {
                guard let raw = try nextRawLine() else { return nil }
                line = raw
            } catch {
                try handle(error)
                continue
            }
            do {
                let value = try transform(line)
                stats.records += 1
                return value
            } catch let error as DecodingError {
                try handle(JSONLError.from(error, file: path, line: line.number))
            } catch var error as JSONLError {
                error.file = path
                if error.line == nil { error.line = line.number }
                try handle(error)
            } catch {
                try handle(JSONLError(file: path, line: line.number, reason: .invalidValue("\(error)")))
            }
        }
    }

    /// The next non-blank line, checked for encoding problems, without decoding it.
    private func nextRawLine() throws(JSONLError) -> JSONLLine? {
        while true {
            defer { stats.fileBytes = lines.fileBytesRead }
            let next: LineReader.Item?
            do {
                next = try lines.next()
            } catch {
                // Fatal whatever the policy: a damaged stream cannot be resynchronised.
                guard case .corruptGzip(let why) = error.reason else { throw error }
                throw JSONLError(file: path, reason: .corruptGzip("\(why), in line \(lines.lineNumber + 1)"))
            }
            guard let item = next else {
                stats.lines = lines.lineNumber
                return nil
            }
            stats.lines = lines.lineNumber
            switch item {
            case .tooLong(let number):
                throw JSONLError(file: path, line: number, reason: .lineTooLong(limitBytes: options.maxLineBytes))
            case .line(let number, var bytes):
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                    guard number == 1 else {
                        throw JSONLError(file: path, line: number, reason: .byteOrderMarkInsideFile)
                    }
                    stats.byteOrderMark = true
                    bytes.removeFirst(3)
                }
                if number == 1 { try Self.rejectOtherEncodings(bytes, path: path) }
                let invalid = bytes.withUnsafeBytes { firstInvalidUTF8Offset($0) }
                if let invalid { throw JSONLError(file: path, line: number, reason: .invalidUTF8(byteOffset: invalid)) }
                if Self.isBlank(bytes) {
                    stats.blankLines += 1
                    continue
                }
                return JSONLLine(number: number, bytes: bytes)
            }
        }
    }

    private func handle(_ error: JSONLError) throws(JSONLError) {
        guard options.onError == .skip, error.line != nil else { throw error }
        stats.skipped += 1
        if stats.errors.count < options.maxListedErrors { stats.errors.append(error) }
    }

    private static func isBlank(_ bytes: Data) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// UTF-16/32 files start with their own byte-order marks; say so instead of "invalid UTF-8".
    private static func rejectOtherEncodings(_ bytes: Data, path: String) throws(JSONLError) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw JSONLError(file: path, reason: .notUTF8Encoding("UTF-16 (it starts with a UTF-16 byte-order mark)"))
        }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw JSONLError(file: path, reason: .notUTF8Encoding("UTF-32 (it starts with a UTF-32 byte-order mark)"))
        }
    }
}

/// Whole-file conveniences over ``JSONLReader``.
public enum JSONL {
    /// Reads every record of a file; for files that fit in memory (fixtures, benchmarks).
    public static func readAll<T: Decodable>(
        _ type: T.Type, from path: String, options: JSONLReadOptions = JSONLReadOptions()
    ) throws(JSONLError) -> (records: [T], stats: JSONLStats) {
        let reader = try JSONLReader(path: path, options: options)
        var records: [T] = []
        while let record = try reader.next(T.self) { records.append(record) }
        return (records, reader.stats)
    }
}
