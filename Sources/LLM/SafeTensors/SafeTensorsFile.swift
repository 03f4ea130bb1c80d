import Foundation

/// Element types of the safetensors format, named as in its header (`"F32"`, `"BF16"`, …).
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64"
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case i64 = "I64"
    case i32 = "I32"
    case i16 = "I16"
    case i8 = "I8"
    case u64 = "U64"
    case u32 = "U32"
    case u16 = "U16"
    case u8 = "U8"
    case bool = "BOOL"
    case f8e4m3 = "F8_E4M3"
    case f8e5m2 = "F8_E5M2"

    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool, .f8e4m3, .f8e5m2: return 1
        }
    }

    /// Whether `SafeTensorsFile.floats` can convert this type (the ones checkpoints hold weights in).
    public var isFloatConvertible: Bool { self == .f32 || self == .f16 || self == .bf16 }
}

/// One entry of a safetensors header.
public struct SafeTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    /// Row-major (PyTorch) shape; empty for a scalar.
    public let shape: [Int]
    /// Byte range within the data section.
    public let range: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A memory-mapped `.safetensors` file, the Hugging Face checkpoint format.
///
/// Format (github.com/huggingface/safetensors, "Format"): a u64 little-endian header length
/// `N`, `N` bytes of JSON mapping tensor names to `{dtype, shape, data_offsets: [begin, end]}`
/// plus an optional `__metadata__` object of strings, then the data. Validation follows the
/// reference library: the header is at most 100 MB, every byte range matches its shape and
/// dtype, lies inside the data section, and no two tensors overlap.
public struct SafeTensorsFile: Sendable {
    public let bytes: FileBytes
    /// `__metadata__` (e.g. `{"format": "pt"}`).
    public let metadata: [String: String]
    /// Tensors in data order.
    public let tensors: [SafeTensorInfo]
    /// Absolute offset of the data section (8 + header length).
    public let dataOffset: Int
    private let index: [String: Int]

    static let maximumHeaderSize = 100_000_000

    public init(path: String) throws {
        try self.init(bytes: FileBytes(mapping: path))
    }

    public init(bytes: FileBytes) throws {
        self.bytes = bytes
        let file = bytes.name
        var cursor = ByteCursor(bytes.buffer, file: file)
        let headerSize = try cursor.read(UInt64.self, for: "header length")
        guard headerSize <= UInt64(Self.maximumHeaderSize) else {
            throw ModelFileError(
                .invalidValue, file: file, location: "offset 0", "header length \(headerSize) exceeds 100 MB")
        }
        let headerBytes = try cursor.readBytes(Int(headerSize), for: "JSON header")
        dataOffset = cursor.offset
        let dataSize = bytes.buffer.count - dataOffset
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(headerBytes), options: [])
        } catch {
            throw ModelFileError(.invalidValue, file: file, location: "header", "the JSON header does not parse")
        }
        guard let object = json as? [String: Any] else {
            throw ModelFileError(.invalidValue, file: file, location: "header", "the JSON header is not an object")
        }
        var metadata: [String: String] = [:]
        var infos: [SafeTensorInfo] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let entries = value as? [String: Any] else {
                    throw ModelFileError(
                        .invalidValue, file: file, location: "__metadata__", "must be an object of strings")
                }
                for (key, entry) in entries {
                    guard let string = entry as? String else {
                        throw ModelFileError(
                            .invalidValue, file: file, location: "__metadata__.\(key)", "must be a string")
                    }
                    metadata[key] = string
                }
                continue
            }
            infos.append(try Self.parseEntry(name, value, file: file, dataSize: dataSize))
        }
        infos.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        for (previous, next) in zip(infos, infos.dropFirst()) where next.range.lowerBound < previous.range.upperBound {
            throw ModelFileError(
                .invalidValue, file: file, location: "tensor \(next.name)", "data overlaps tensor \(previous.name)")
        }
        self.metadata = metadata
        tensors = infos
        index = Dictionary(uniqueKeysWithValues: infos.enumerated().map { ($1.name, $0) })
    }

    static func parseEntry(_ name: String, _ value: Any, file: String, dataSize: Int) throws -> SafeTensorInfo {
        func invalid(_ reason: String) -> ModelFileError {
            ModelFileError(.invalidValue, file: file, location: "tensor \(name)", reason)
        }
        guard let entry = value as? [String: Any] else { throw invalid("entry is not an object") }
        guard let dtypeName = entry["dtype"] as? String else { throw invalid("missing field dtype") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw ModelFileError(.unsupportedType, file: file, location: "tensor \(name)", "unknown dtype \(dtypeName)")
        }
        guard let rawShape = entry["shape"] as? [Any] else { throw invalid("missing field shape") }
        var shape: [Int] = []
        var elements = 1
        for dim in rawShape {
            guard let number = dim as? NSNumber, let d = Int(exactly: number.doubleValue), d >= 0 else {
                throw invalid("shape holds \(dim), not a non-negative integer")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow else { throw invalid("element count overflows") }
            elements = product
            shape.append(d)
        }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
            let begin = (offsets[0] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
            let end = (offsets[1] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) })
        else { throw invalid("data_offsets must be two integers") }
        guard begin >= 0, begin <= end else { throw invalid("data_offsets [\(begin), \(end)] are out of order") }
        guard end <= dataSize else {
            throw ModelFileError(
                .outOfBounds, file: file, location: "tensor \(name)",
                "data_offsets end \(end) is past the end of the data (\(dataSize) bytes); is the file truncated?")
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes == end - begin else {
            throw invalid("data_offsets span \(end - begin) bytes but shape \(shape) of \(dtypeName) needs \(bytes)")
        }
        return SafeTensorInfo(name: name, dtype: dtype, shape: shape, range: begin..<end)
    }

    public func tensor(_ name: String) throws -> SafeTensorInfo {
        guard let i = index[name] else {
            throw ModelFileError(
                .invalidValue, file: bytes.name, location: "tensor \(name)", "no such tensor in the file")
        }
        return tensors[i]
    }

    /// The raw bytes of a tensor, a view into the mapping.
    public func data(of info: SafeTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            rebasing: bytes.buffer[(dataOffset + info.range.lowerBound)..<(dataOffset + info.range.upperBound)])
    }

    /// The tensor's values as fp32 (F32, F16 and BF16 tensors).
    public func floats(_ name: String) throws -> [Float] {
        let info = try tensor(name)
        let raw = data(of: info)
        switch info.dtype {
        case .f32: return try Dequantize.toFloat(.f32, raw, count: info.elementCount)
        case .f16: return try Dequantize.toFloat(.f16, raw, count: info.elementCount)
        case .bf16: return try Dequantize.toFloat(.bf16, raw, count: info.elementCount)
        default:
            throw ModelFileError(
                .unsupportedType, file: bytes.name, location: "tensor \(name)",
                "dtype \(info.dtype.rawValue) cannot be read as floats (supported: F32, F16, BF16)")
        }
    }
}
