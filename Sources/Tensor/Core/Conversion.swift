/// Half-precision weights converted to fp32 at load time (DESIGN.md: converting at load is free;
/// the engine computes in fp32 only).
/// - IEEE fp16 goes through Swift's `Float16`, which `-march=x86-64-v3` lowers to F16C.
/// - bfloat16 is the top half of an fp32: a 16-bit shift, exactly as PyTorch widens it.
public enum HalfPrecision {
    /// Converts `count` IEEE binary16 values (raw bits, little-endian host order) to fp32.
    public static func float16ToFloat(
        _ source: UnsafePointer<UInt16>, _ destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        let src = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: source))
        let dst = Parallel.Pointer(destination)
        Parallel.forRanges(count, grain: 65_536) { range in
            for i in range { dst[i] = Float(Float16(bitPattern: src.base[i])) }
        }
    }

    /// Converts `count` bfloat16 values (raw bits) to fp32.
    public static func bfloat16ToFloat(
        _ source: UnsafePointer<UInt16>, _ destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        let src = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: source))
        let dst = Parallel.Pointer(destination)
        Parallel.forRanges(count, grain: 65_536) { range in
            for i in range { dst[i] = Float(bitPattern: UInt32(src.base[i]) << 16) }
        }
    }

    /// fp32 → bfloat16 with round-to-nearest-even (PyTorch's `float.to(torch.bfloat16)`); NaN stays NaN.
    public static func floatToBFloat16(_ value: Float) -> UInt16 {
        if value.isNaN { return 0x7FC0 }
        let bits = value.bitPattern
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}

extension Tensor {
    /// A tensor from IEEE fp16 bits.
    public convenience init(float16Bits bits: [UInt16], shape: [Int]) {
        precondition(bits.count == shape.reduce(1, *), "\(bits.count) fp16 values cannot fill shape \(shape)")
        self.init(storage: Storage(count: bits.count), shape: shape)
        bits.withUnsafeBufferPointer { HalfPrecision.float16ToFloat($0.baseAddress!, data, count: bits.count) }
    }

    /// A tensor from bfloat16 bits.
    public convenience init(bfloat16Bits bits: [UInt16], shape: [Int]) {
        precondition(bits.count == shape.reduce(1, *), "\(bits.count) bf16 values cannot fill shape \(shape)")
        self.init(storage: Storage(count: bits.count), shape: shape)
        bits.withUnsafeBufferPointer { HalfPrecision.bfloat16ToFloat($0.baseAddress!, data, count: bits.count) }
    }
}
