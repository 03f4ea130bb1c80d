import Foundation

/// Writes GGUF version 3 files: the layout ``GGUFFile`` reads and ggml's `docs/gguf.md` specifies
/// (magic, version, u64 counts, metadata key/values, tensor infos, padding to
/// `general.alignment`, tensor data each starting at a multiple of the alignment), as llama.cpp's
/// `gguf_write_to_file` and gguf-py's `GGUFWriter` produce it.
///
/// Metadata keeps insertion order (replacing a key keeps its place), so a copied header reads
/// like the original. Tensors are held encoded until ``write(to:)``, which writes a temporary file
/// and renames it, so an interrupted export never leaves a truncated model under the final name.
public struct GGUFWriter {
    public struct PendingTensor {
        public let name: String
        /// ggml order: `shape[0]` is the contiguous dimension (columns of a matrix).
        public let shape: [Int]
        public let type: GGMLType
        public let data: [UInt8]
    }

    public private(set) var metadata: [(key: String, value: GGUFValue)] = []
    public private(set) var tensors: [PendingTensor] = []
    public let alignment: Int

    public init(alignment: Int = 32) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        self.alignment = alignment
        if alignment != 32 { set("general.alignment", .uint32(UInt32(alignment))) }
    }

    /// Sets `key`, replacing an earlier value in place.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let i = metadata.firstIndex(where: { $0.key == key }) {
            metadata[i].value = value
        } else {
            metadata.append((key, value))
        }
    }

    public mutating func remove(_ key: String) { metadata.removeAll { $0.key == key } }

    /// Adds an already encoded tensor. Throws when the bytes do not match the shape and type, or
    /// the name is taken.
    public mutating func addTensor(name: String, shape: [Int], type: GGMLType, data: [UInt8]) throws {
        let count = shape.reduce(1, *)
        guard !shape.isEmpty, shape.count <= 4, shape.allSatisfy({ $0 > 0 }),
            type.byteCount(elements: count) == data.count, shape[0] % type.blockSize == 0
        else {
            throw GGUFWriterError("tensor \(name): \(data.count) bytes of \(type) do not fit shape \(shape)")
        }
        guard !tensors.contains(where: { $0.name == name }) else {
            throw GGUFWriterError("tensor \(name) is added twice")
        }
        tensors.append(PendingTensor(name: name, shape: shape, type: type, data: data))
    }

    /// Encodes fp32 `values` (row-major over `shape` reversed) as `type` and adds them.
    public mutating func addTensor(name: String, shape: [Int], values: [Float], as type: GGMLType) throws {
        guard Quantize.supported.contains(type), !shape.isEmpty, shape.reduce(1, *) == values.count,
            shape[0] % type.blockSize == 0
        else {
            throw GGUFWriterError("tensor \(name): \(values.count) values do not fit shape \(shape) as \(type)")
        }
        try addTensor(name: name, shape: shape, type: type, data: Quantize.encode(values, as: type))
    }

    /// The header: magic, version, counts, metadata, tensor infos, padding to the data section.
    func header() throws -> [UInt8] {
        var out: [UInt8] = []
        out += Array("GGUF".utf8)
        append(UInt32(3), to: &out)
        append(UInt64(tensors.count), to: &out)
        append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata {
            appendString(key, to: &out)
            append(Self.typeOf(value).rawValue, to: &out)
            try appendValue(value, key: key, to: &out)
        }
        var offset = 0
        for tensor in tensors {
            appendString(tensor.name, to: &out)
            append(UInt32(tensor.shape.count), to: &out)
            for dimension in tensor.shape { append(UInt64(dimension), to: &out) }
            append(tensor.type.rawValue, to: &out)
            append(UInt64(offset), to: &out)
            offset = padded(offset + tensor.data.count)
        }
        out += [UInt8](repeating: 0, count: padded(out.count) - out.count)
        return out
    }

    /// The whole file's bytes (small files and tests; ``write(to:)`` streams).
    public func serialized() throws -> [UInt8] {
        var out = try header()
        for tensor in tensors {
            out += tensor.data
            out += [UInt8](repeating: 0, count: padded(tensor.data.count) - tensor.data.count)
        }
        return out
    }

    /// Writes the file through a temporary file in the same folder, renamed at the end.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
            let handle = try FileHandle(forWritingTo: partial)
            defer { try? handle.close() }
            try handle.write(contentsOf: try header())
            for tensor in tensors {
                try handle.write(contentsOf: tensor.data)
                try handle.write(
                    contentsOf: [UInt8](repeating: 0, count: padded(tensor.data.count) - tensor.data.count))
            }
            try handle.synchronize()
            _ = try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: partial, to: url)
        } catch let error as GGUFWriterError {
            try? FileManager.default.removeItem(at: partial)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw GGUFWriterError("\(path): cannot write (\(error.localizedDescription))")
        }
    }

    private func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    private func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    private func appendString(_ s: String, to out: inout [UInt8]) {
        append(UInt64(s.utf8.count), to: &out)
        out += Array(s.utf8)
    }

    static func typeOf(_ value: GGUFValue) -> GGUFValueType {
        switch value {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    private func appendValue(_ value: GGUFValue, key: String, to out: inout [UInt8]) throws {
        switch value {
        case .uint8(let v): append(v, to: &out)
        case .int8(let v): append(v, to: &out)
        case .uint16(let v): append(v, to: &out)
        case .int16(let v): append(v, to: &out)
        case .uint32(let v): append(v, to: &out)
        case .int32(let v): append(v, to: &out)
        case .uint64(let v): append(v, to: &out)
        case .int64(let v): append(v, to: &out)
        case .float32(let v): append(v.bitPattern, to: &out)
        case .float64(let v): append(v.bitPattern, to: &out)
        case .bool(let v): out.append(v ? 1 : 0)
        case .string(let s): appendString(s, to: &out)
        case .array(let type, let elements):
            append(type.rawValue, to: &out)
            append(UInt64(elements.count), to: &out)
            for (i, element) in elements.enumerated() {
                guard Self.typeOf(element) == type else {
                    throw GGUFWriterError("key \(key): element \(i) is not of the array's type \(type)")
                }
                // Elements of a nested array carry their own type and count; others just the payload.
                try appendValue(element, key: key, to: &out)
            }
        }
    }
}

/// Why a GGUF file could not be written.
public struct GGUFWriterError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
