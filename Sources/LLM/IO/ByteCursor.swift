/// A bounds-checked little-endian reader over a byte buffer.
///
/// Every read checks the remaining length first and throws `ModelFileError` naming the file and
/// offset; counts read from the file are validated against the bytes left before anything is
/// allocated, so a hostile "2^60 elements" header fails fast instead of exhausting memory.
/// GGUF and safetensors are little-endian; so are the machines we run on (x86-64, arm64).
struct ByteCursor {
    let buffer: UnsafeRawBufferPointer
    let file: String
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, file: String, offset: Int = 0) {
        self.buffer = buffer
        self.file = file
        self.offset = offset
    }

    var remaining: Int { buffer.count - offset }

    func error(_ code: ModelFileError.Code, at location: String? = nil, _ reason: String) -> ModelFileError {
        ModelFileError(code, file: file, location: location ?? "offset \(offset)", reason)
    }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, for what: String) throws {
        guard count >= 0, count <= remaining else {
            throw error(.truncated, "file ends inside \(what) (needs \(count) bytes, \(remaining) left)")
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, for what: String) throws -> T {
        try require(MemoryLayout<T>.size, for: what)
        let value = buffer.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func readFloat(for what: String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, for: what))
    }

    mutating func readDouble(for what: String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, for: what))
    }

    /// Reads `count` bytes as a view into the buffer (no copy).
    mutating func readBytes(_ count: Int, for what: String) throws -> UnsafeRawBufferPointer {
        try require(count, for: what)
        let slice = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Reads `count` bytes that must be valid UTF-8.
    mutating func readUTF8(_ count: Int, for what: String) throws -> String {
        let start = offset
        let bytes = try readBytes(count, for: what)
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw ModelFileError(.invalidValue, file: file, location: "offset \(start)", "\(what) is not valid UTF-8")
        }
        return string
    }

    mutating func skip(to newOffset: Int, for what: String) throws {
        guard newOffset >= offset, newOffset <= buffer.count else {
            throw error(.truncated, "file ends before \(what) at offset \(newOffset)")
        }
        offset = newOffset
    }
}
