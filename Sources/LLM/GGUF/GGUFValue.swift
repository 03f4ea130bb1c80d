/// The value types of GGUF metadata, with the numbering of the GGUF spec (`gguf_type` in
/// llama.cpp's `gguf.h`).
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// Bytes an element occupies at least, used to reject absurd array counts before allocating.
    var minimumSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8  // a string is at least its u64 length
        case .array: return 12  // u32 element type + u64 count
        }
    }
}

/// One GGUF metadata value. Arrays keep their element type so empty arrays stay typed.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    indirect case array(GGUFValueType, [GGUFValue])

    /// The value as an integer when it is any integer type that fits in `Int`.
    public var int: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// The value as a floating-point number when it is numeric.
    public var double: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default: return int.map(Double.init)
        }
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var array: [GGUFValue]? {
        if case .array(_, let values) = self { return values }
        return nil
    }

    /// An array of strings (`tokenizer.ggml.tokens`, `merges`); nil if any element is not a string.
    public var strings: [String]? {
        guard let values = array else { return nil }
        var out: [String] = []
        out.reserveCapacity(values.count)
        for value in values {
            guard case .string(let s) = value else { return nil }
            out.append(s)
        }
        return out
    }

    /// An array of integers (`tokenizer.ggml.token_type`); nil if any element is not an integer.
    public var ints: [Int]? {
        guard let values = array else { return nil }
        var out: [Int] = []
        out.reserveCapacity(values.count)
        for value in values {
            guard let i = value.int else { return nil }
            out.append(i)
        }
        return out
    }
}
