import CZlibInflate
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of bytes read in chunks, so files of any size are read in bounded memory.
protocol ByteSource: AnyObject {
    /// Fills `buffer` from the start and returns the number of bytes written; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(JSONLError) -> Int
    /// Bytes consumed from the underlying file so far (compressed bytes for gzip).
    var fileBytesRead: Int { get }
}

/// Opens `path` for chunked reading, inflating gzip transparently. Gzip is recognised by its
/// magic bytes (1F 8B), not by the name; a `.gz` name on a file without them is an error
/// rather than a silent plain read, because the two disagreeing means something went wrong.
func openByteSource(path: String) throws(JSONLError) -> any ByteSource {
    let file = try FileByteSource(path: path)
    let headBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
    defer { headBuffer.deallocate() }
    let count = try file.peek(into: headBuffer)
    let head = Array(headBuffer.bindMemory(to: UInt8.self))
    let isGzip = count == 2 && head[0] == 0x1F && head[1] == 0x8B
    if isGzip { return try GzipByteSource(file: file, path: path) }
    if path.hasSuffix(".gz") {
        let bytes = head.prefix(count).map { String(format: "%02X", $0) }.joined(separator: " ")
        throw JSONLError(file: path, reason: .notGzip(firstBytes: count == 0 ? "(none: the file is empty)" : bytes))
    }
    return file
}

/// Plain POSIX reads: no buffering beyond the caller's chunk.
final class FileByteSource: ByteSource {
    private let descriptor: Int32
    private let path: String
    private var peeked: [UInt8] = []
    private(set) var fileBytesRead = 0

    init(path: String) throws(JSONLError) {
        self.path = path
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw JSONLError(file: path, reason: .cannotOpen("it is a directory"))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw JSONLError(file: path, reason: .cannotOpen(String(cString: strerror(errno))))
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Reads the first bytes without consuming them (used to sniff the gzip magic).
    func peek(into buffer: UnsafeMutableRawBufferPointer) throws(JSONLError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try rawRead(UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        peeked = Array(buffer.prefix(filled).bindMemory(to: UInt8.self))
        return filled
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(JSONLError) -> Int {
        if !peeked.isEmpty {
            let count = min(peeked.count, buffer.count)
            peeked.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            peeked.removeFirst(count)
            return count
        }
        return try rawRead(buffer)
    }

    private func rawRead(_ buffer: UnsafeMutableRawBufferPointer) throws(JSONLError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                fileBytesRead += count
                return count
            }
            if errno == EINTR { continue }
            throw JSONLError(file: path, reason: .io(String(cString: strerror(errno))))
        }
    }
}

/// Streaming gzip inflate over zlib (`inflate` with automatic header detection). Handles
/// multi-member gzip files (`cat a.gz b.gz`), which `gzip -d` also accepts.
final class GzipByteSource: ByteSource {
    private let file: FileByteSource
    private let path: String
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var finished = false
    var fileBytesRead: Int { file.fileBytesRead }

    init(file: FileByteSource, path: String) throws(JSONLError) {
        self.file = file
        self.path = path
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        guard clarifycoder_inflate_init_auto(&stream) == Z_OK else {
            input.deallocate()
            throw JSONLError(file: path, reason: .corruptGzip("zlib could not start"))
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(JSONLError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 {
                let count = try file.read(into: input)
                if count == 0 {
                    // End of file: fine only between members.
                    if stream.total_in == 0 && stream.total_out == 0 {
                        finished = true
                        break
                    }
                    throw JSONLError(file: path, reason: .corruptGzip("the file ends inside the compressed stream"))
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(count)
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another member may follow; reset and go on, or stop at the end of the file.
                inflateReset(&stream)
                if stream.avail_in == 0 {
                    let count = try file.read(into: input)
                    if count == 0 {
                        finished = true
                        return buffer.count - Int(stream.avail_out)
                    }
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = uInt(count)
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw JSONLError(file: path, reason: .corruptGzip(message))
            }
        }
        return buffer.count - Int(stream.avail_out)
    }
}
