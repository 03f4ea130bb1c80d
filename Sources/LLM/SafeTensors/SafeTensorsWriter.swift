import Foundation

/// Writes `.safetensors` files (F32, F16, BF16) that the Hugging Face `safetensors` library reads.
///
/// Like the reference serializer, tensors are laid out in order of decreasing element size and
/// then by name (so every tensor is aligned to its element size), and the JSON header is padded
/// with spaces to a multiple of 8 bytes.
public struct SafeTensorsWriter {
    public struct Entry {
        public var name: String
        public var dtype: SafeTensorsDType
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, dtype: SafeTensorsDType = .f32, shape: [Int], values: [Float]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.values = values
        }
    }

    public var entries: [Entry] = []
    public var metadata: [String: String] = [:]

    public init(metadata: [String: String] = [:]) { self.metadata = metadata }

    public mutating func add(_ entry: Entry) { entries.append(entry) }

    /// The complete file contents.
    public func encoded() throws -> [UInt8] {
        let ordered = entries.sorted { ($1.dtype.byteSize, $0.name) < ($0.dtype.byteSize, $1.name) }
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var data: [UInt8] = []
        var names = Set<String>()
        for entry in ordered {
            guard names.insert(entry.name).inserted else {
                throw ModelFileError(
                    .invalidValue, file: "safetensors writer", location: "tensor \(entry.name)", "duplicate name")
            }
            guard entry.dtype.isFloatConvertible else {
                throw ModelFileError(
                    .unsupportedType, file: "safetensors writer", location: "tensor \(entry.name)",
                    "only F32, F16 and BF16 can be written")
            }
            guard entry.shape.reduce(1, *) == entry.values.count else {
                throw ModelFileError(
                    .invalidValue, file: "safetensors writer", location: "tensor \(entry.name)",
                    "shape \(entry.shape) does not hold \(entry.values.count) values")
            }
            let begin = data.count
            Self.append(entry.values, as: entry.dtype, to: &data)
            header[entry.name] = [
                "dtype": entry.dtype.rawValue, "shape": entry.shape, "data_offsets": [begin, data.count],
            ]
        }
        var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + data.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out += $0 }
        out += json
        out += data
        return out
    }

    public func write(to path: String) throws {
        try Data(encoded()).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func append(_ values: [Float], as dtype: SafeTensorsDType, to data: inout [UInt8]) {
        for value in values {
            switch dtype {
            case .f16: withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { data += $0 }
            case .bf16: withUnsafeBytes(of: bfloat16Bits(value).littleEndian) { data += $0 }
            default: withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 }
            }
        }
    }

    /// fp32 → bf16 with round-to-nearest-even, as PyTorch converts; NaN stays a quiet NaN.
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        if value.isNaN { return 0x7FC0 }
        let bits = value.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}
