/// The tensor element types of ggml, numbered as in llama.cpp's `ggml.h` (`enum ggml_type`).
///
/// Only the types this engine can dequantize are cases; a file holding any other type loads
/// (its metadata is still readable) but asking for that tensor's values fails with a clear error.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case bf16 = 30

    /// Elements per block: 1 for plain floats, 32 for the legacy quants, 256 (`QK_K`) for K-quants.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: return 32
        case .q4_K, .q5_K, .q6_K: return 256
        }
    }

    /// Bytes per block, from the block structs in ggml-common.h.
    public var blockBytes: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q4_0: return 2 + 16  // d, 32 nibbles
        case .q4_1: return 2 + 2 + 16  // d, m, 32 nibbles
        case .q5_0: return 2 + 4 + 16  // d, qh (5th bits), nibbles
        case .q5_1: return 2 + 2 + 4 + 16  // d, m, qh, nibbles
        case .q8_0: return 2 + 32  // d, 32 int8
        case .q4_K: return 2 + 2 + 12 + 128  // d, dmin, 6-bit scales/mins, nibbles
        case .q5_K: return 2 + 2 + 12 + 32 + 128  // d, dmin, scales, qh, nibbles
        case .q6_K: return 128 + 64 + 16 + 2  // ql, qh, int8 scales, d
        }
    }

    public var description: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q5_0: return "Q5_0"
        case .q5_1: return "Q5_1"
        case .q8_0: return "Q8_0"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        }
    }

    /// Bytes needed for `elements` values, or nil when not a whole number of blocks or on overflow.
    public func byteCount(elements: Int) -> Int? {
        guard elements >= 0, elements % blockSize == 0 else { return nil }
        let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }
}
