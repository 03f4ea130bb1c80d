/// A parsed GGUF file (versions 2 and 3): metadata, tensor directory, and the memory-mapped data.
///
/// Layout, as specified in ggml's `docs/gguf.md` and read by `gguf_init_from_file_impl` in
/// llama.cpp: magic `GGUF`, u32 version, u64 tensor count, u64 metadata count, the metadata
/// key/value pairs, the tensor infos (name, u32 rank, u64 dims, u32 type, u64 offset), padding
/// to `general.alignment` (default 32), then the tensor data. Version 1 (u32 counts) is obsolete
/// and rejected. Nothing is copied: tensor data is read straight from the mapping.
///
/// Hostile input never crashes the reader: every count is checked against the bytes left
/// before anything is allocated, every size computation checks for overflow, and every tensor
/// must lie inside the file.
public struct GGUFFile: Sendable {
    /// The file's bytes; kept alive as long as this value (and any tensor view) exists.
    public let bytes: FileBytes
    public let version: UInt32
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    public let metadata: [String: GGUFValue]
    public let tensors: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// Absolute offset of the data section.
    public let dataOffset: Int
    private let tensorIndex: [String: Int]

    static let magic: UInt32 = 0x4655_4747  // "GGUF" read little-endian
    static let maximumArrayDepth = 8
    static let maximumRank = 4  // GGML_MAX_DIMS

    /// Maps and parses the file at `path`.
    public init(path: String) throws {
        try self.init(bytes: FileBytes(mapping: path))
    }

    public init(bytes: FileBytes) throws {
        self.bytes = bytes
        var cursor = ByteCursor(bytes.buffer, file: bytes.name)
        guard cursor.remaining >= 4 else {
            throw cursor.error(.truncated, "file is \(cursor.remaining) bytes, too short for a GGUF header")
        }
        let magic = try cursor.read(UInt32.self, for: "magic")
        guard magic == Self.magic else {
            throw ModelFileError(.badMagic, file: bytes.name, location: "offset 0", "not a GGUF file (bad magic)")
        }
        version = try cursor.read(UInt32.self, for: "version")
        guard version == 2 || version == 3 else {
            throw ModelFileError(
                .unsupportedVersion, file: bytes.name, location: "offset 4",
                "GGUF version \(version) is not supported (only 2 and 3)")
        }
        let tensorCount = try cursor.read(UInt64.self, for: "tensor count")
        let keyCount = try cursor.read(UInt64.self, for: "metadata count")
        // A key/value pair takes at least 13 bytes, a tensor info at least 24: reject counts the file cannot hold.
        guard keyCount <= UInt64(cursor.remaining / 13) else {
            throw cursor.error(
                .invalidValue, at: "offset 16", "metadata count \(keyCount) exceeds what the file can hold")
        }
        guard tensorCount <= UInt64(cursor.remaining / 24) else {
            throw cursor.error(
                .invalidValue, at: "offset 8", "tensor count \(tensorCount) exceeds what the file can hold")
        }

        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        for _ in 0..<Int(keyCount) {
            let keyOffset = cursor.offset
            let key = try Self.readString(&cursor, for: "metadata key")
            let rawType = try cursor.read(UInt32.self, for: "type of key \(key)")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw ModelFileError(
                    .unsupportedType, file: bytes.name, location: "key \(key)", "unknown metadata value type \(rawType)"
                )
            }
            let value = try Self.readValue(type, &cursor, key: key, depth: 0)
            guard values.updateValue(value, forKey: key) == nil else {
                throw ModelFileError(
                    .invalidValue, file: bytes.name, location: "offset \(keyOffset)", "duplicate key \(key)")
            }
            keys.append(key)
        }
        metadataKeys = keys
        metadata = values

        var alignment = 32
        if let value = values["general.alignment"] {
            guard let a = value.int, a > 0, a <= 1 << 20, a & (a - 1) == 0 else {
                throw ModelFileError(
                    .invalidValue, file: bytes.name, location: "key general.alignment",
                    "alignment must be a power of two up to 1 MiB, got \(value)")
            }
            alignment = a
        }
        self.alignment = alignment

        var infos: [GGUFTensorInfo] = []
        var index: [String: Int] = [:]
        infos.reserveCapacity(Int(tensorCount))
        for _ in 0..<Int(tensorCount) {
            let info = try Self.readTensorInfo(&cursor, alignment: alignment)
            guard index.updateValue(infos.count, forKey: info.name) == nil else {
                throw ModelFileError(
                    .invalidValue, file: bytes.name, location: "tensor \(info.name)", "duplicate tensor name")
            }
            infos.append(info)
        }
        tensors = infos
        tensorIndex = index

        // The data section starts at the next multiple of the alignment (a file with no tensors may end earlier).
        let padded = (cursor.offset + alignment - 1) / alignment * alignment
        dataOffset = infos.isEmpty ? min(padded, bytes.buffer.count) : padded
        let dataSize = bytes.buffer.count - dataOffset
        for info in infos {
            let location = "tensor \(info.name)"
            guard info.offset <= dataSize else {
                throw ModelFileError(
                    .outOfBounds, file: bytes.name, location: location,
                    "data offset \(info.offset) is past the end of the file (data section is \(max(dataSize, 0)) bytes)"
                )
            }
            if let size = info.byteCount, size > dataSize - info.offset {
                throw ModelFileError(
                    .outOfBounds, file: bytes.name, location: location,
                    "data (\(size) bytes at offset \(info.offset)) runs past the end of the file; is it truncated?")
            }
        }
    }

    /// The metadata value for `key`.
    public subscript(key: String) -> GGUFValue? { metadata[key] }

    /// The model architecture (`general.architecture`), e.g. `llama`, `qwen2`.
    public var architecture: String? { metadata["general.architecture"]?.string }

    /// The tensor called `name`; throws naming the file when it is absent.
    public func tensor(_ name: String) throws -> GGUFTensorInfo {
        guard let i = tensorIndex[name] else {
            throw ModelFileError(
                .invalidValue, file: bytes.name, location: "tensor \(name)", "no such tensor in the file")
        }
        return tensors[i]
    }

    /// The stored bytes of a tensor, a view into the mapping (valid while this value lives).
    public func data(of info: GGUFTensorInfo) throws -> UnsafeRawBufferPointer {
        guard info.type != nil, let size = info.byteCount else {
            let supported = GGMLType.allCases.map(\.description).joined(separator: ", ")
            throw ModelFileError(
                .unsupportedType, file: bytes.name, location: "tensor \(info.name)",
                "tensor type \(info.typeName) is not supported (supported: \(supported))")
        }
        let start = dataOffset + info.offset
        return UnsafeRawBufferPointer(rebasing: bytes.buffer[start..<(start + size)])
    }

    /// The tensor's values converted to fp32, in storage order (row-major over `shape` reversed).
    public func dequantize(_ name: String) throws -> [Float] {
        let info = try tensor(name)
        let raw = try data(of: info)
        return try Dequantize.toFloat(info.type!, raw, count: info.elementCount)
    }
}
