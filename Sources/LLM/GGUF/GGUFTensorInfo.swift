/// Where one tensor lives in a GGUF file and how it is stored.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// Dimensions in ggml order: `shape[0]` (ggml `ne[0]`) is the contiguous one, so a weight
    /// matrix of `rows × columns` in PyTorch is stored as `[columns, rows]` here.
    public let shape: [Int]
    /// The ggml type number as written in the file (kept even when `type` is unknown to us).
    public let typeID: UInt32
    /// The element type, or nil when this engine cannot decode it (IQ-quants, Q2_K, Q3_K, …).
    public let type: GGMLType?
    /// Offset of the first byte, relative to the start of the data section.
    public let offset: Int
    /// Number of elements (the product of `shape`).
    public let elementCount: Int
    /// Bytes the data occupies, when the type is known.
    public let byteCount: Int?

    /// Rows in ggml terms: all dimensions but the first, multiplied.
    public var rowCount: Int { shape.count <= 1 ? 1 : elementCount / max(shape[0], 1) }
    /// Elements per row (`ne[0]`).
    public var rowLength: Int { shape.first ?? 1 }

    /// The name of the type for messages, also for types we cannot decode.
    public var typeName: String {
        if let type { return type.description }
        return GGMLType.otherTypeNames[typeID].map { "\($0) (type \(typeID))" } ?? "unknown type \(typeID)"
    }
}

extension GGMLType {
    /// Names of ggml types this engine does not decode, so errors can say what the file holds.
    static let otherTypeNames: [UInt32: String] = [
        4: "Q4_2", 5: "Q4_3", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS",
        18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16",
        26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
    ]
}
