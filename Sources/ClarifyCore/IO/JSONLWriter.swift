import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes JSONL so that a reader never sees a half-written file.
///
/// - ``atomic(path:)``: records go to a temporary file beside the target, which replaces the
///   target by `rename(2)` only in ``commit()``. Until then the old file (if any) is intact;
///   a writer dropped without committing removes its temporary file.
/// - ``resuming(path:)``: appends to an existing file, for long jobs (synthesis, evaluation)
///   that must survive interruption. A last line cut short by a crash (no trailing newline)
///   is truncated away first and reported in ``ResumePoint``; each record is written with one
///   `write(2)` of the whole line and flushed, so at most the record in flight is lost.
public final class JSONLWriter {
    /// Where a resumed file stood when it was reopened.
    public struct ResumePoint: Sendable, Hashable {
        /// Complete records already in the file.
        public var completeLines: Int
        /// Bytes of a partial last line that were removed (0 when the file ended cleanly).
        public var truncatedBytes: Int
    }

    public let path: String
    private let temporaryPath: String?
    private var descriptor: Int32
    private var buffer = Data()
    private let flushEachRecord: Bool
    private let encoder: JSONEncoder
    private var committed = false
    public private(set) var recordsWritten = 0

    private init(path: String, temporaryPath: String?, descriptor: Int32, flushEachRecord: Bool) {
        self.path = path
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
        self.flushEachRecord = flushEachRecord
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed, let temporaryPath { unlink(temporaryPath) }
    }

    /// A writer whose output appears at `path` only when ``commit()`` succeeds.
    public static func atomic(path: String) throws(JSONLError) -> JSONLWriter {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw JSONLError(
                file: path,
                reason: .cannotOpen(
                    "cannot create a temporary file in \(directory): "
                        + String(cString: strerror(errno))))
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        fchmod(descriptor, 0o644)
        return JSONLWriter(path: path, temporaryPath: temporary, descriptor: descriptor, flushEachRecord: false)
    }

    /// A writer appending to `path` (created if absent), after cutting off a partial last line.
    public static func resuming(path: String) throws(JSONLError) -> (writer: JSONLWriter, resume: ResumePoint) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw JSONLError(file: path, reason: .cannotOpen(String(cString: strerror(errno))))
        }
        let resume: ResumePoint
        do {
            resume = try truncatePartialLine(descriptor: descriptor, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        lseek(descriptor, 0, SEEK_END)
        let writer = JSONLWriter(path: path, temporaryPath: nil, descriptor: descriptor, flushEachRecord: true)
        writer.committed = true
        return (writer, resume)
    }

    /// Appends one record as a line.
    public func write<T: Encodable>(_ record: T) throws(JSONLError) {
        do {
            buffer.append(try encoder.encode(record))
        } catch {
            throw JSONLError(file: path, line: recordsWritten + 1, reason: .invalidValue("cannot encode: \(error)"))
        }
        buffer.append(0x0A)
        recordsWritten += 1
        if flushEachRecord || buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes buffered lines to the file.
    public func flush() throws(JSONLError) {
        guard !buffer.isEmpty else { return }
        let descriptor = self.descriptor
        let failure: Int32? = buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return nil
        }
        if let failure {
            throw JSONLError(file: path, reason: .io("write failed: " + String(cString: strerror(failure))))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and (for an atomic writer) moves the file into place. Call once, last.
    public func commit() throws(JSONLError) {
        try flush()
        fsync(descriptor)
        close(descriptor)
        descriptor = -1
        if let temporaryPath {
            guard rename(temporaryPath, path) == 0 else {
                throw JSONLError(
                    file: path,
                    reason: .io(
                        "cannot move the finished file into place: "
                            + String(cString: strerror(errno))))
            }
        }
        committed = true
    }

    /// Counts complete lines and cuts the file after the last newline.
    private static func truncatePartialLine(descriptor: Int32, path: String) throws(JSONLError) -> ResumePoint {
        let size = Int(lseek(descriptor, 0, SEEK_END))
        guard size > 0 else { return ResumePoint(completeLines: 0, truncatedBytes: 0) }
        var lines = 0
        var lastNewlineEnd = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        lseek(descriptor, 0, SEEK_SET)
        while offset < size {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JSONLError(file: path, reason: .io(String(cString: strerror(errno))))
            }
            if count == 0 { break }
            for index in 0..<count where chunk[index] == 0x0A {
                lines += 1
                lastNewlineEnd = offset + index + 1
            }
            offset += count
        }
        let truncated = size - lastNewlineEnd
        if truncated > 0 {
            guard ftruncate(descriptor, off_t(lastNewlineEnd)) == 0 else {
                throw JSONLError(
                    file: path,
                    reason: .io(
                        "cannot truncate a partial last line: "
                            + String(cString: strerror(errno))))
            }
        }
        return ResumePoint(completeLines: lines, truncatedBytes: truncated)
    }
}
