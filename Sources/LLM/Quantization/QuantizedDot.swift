/// Dot products of one quantized weight row with an fp32 vector, without materialising the
/// row in fp32: the inner loop of a matrix–vector product over Q4_1 or Q8_0 weights (the
/// embedded SmolLM2 model stores its projections as Q4_1 and its embedding as Q8_0).
///
/// Per 32-element block, Q4_1 gives d·Σ qⱼxⱼ + m·Σ xⱼ and Q8_0 gives d·Σ qⱼxⱼ — the same sums
/// as llama.cpp's `ggml_vec_dot_q4_1_q8_1` / `ggml_vec_dot_q8_0_q8_0`, except that `x` stays
/// fp32 here (no activation quantization), so results equal dequantize-then-dot up to fp32
/// rounding order.
public enum QuantizedDot {
    /// Σ row[i]·x[i] for a row of `count` elements (a multiple of 32) stored as `type`.
    /// Supported: Q4_1, Q8_0, Q4_0; other types dequantize a block at a time.
    public static func dot(_ type: GGMLType, row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        switch type {
        case .q4_1: return q4_1(row, x, count)
        case .q8_0: return q8_0(row, x, count)
        case .q4_0: return q4_0(row, x, count)
        default: return generic(type, row, x, count)
        }
    }

    /// y[r] = Σ W[r, i]·x[i] for `rows` consecutive rows of `columns` elements stored as `type`.
    public static func matvec(
        _ type: GGMLType, weights: UnsafeRawPointer, rows: Int, columns: Int,
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>
    ) {
        let rowBytes = columns / type.blockSize * type.blockBytes
        for r in 0..<rows { y[r] = dot(type, row: weights + r * rowBytes, x, count: columns) }
    }

    static func q4_1(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var total: Float = 0
        for b in 0..<(count / 32) {
            let block = row + b * 20
            let d = Dequantize.half(block, 0)
            let m = Dequantize.half(block, 2)
            let packed = block.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
            let low = SIMD16<Float>(packed & 0x0F)
            let high = SIMD16<Float>(packed &>> 4)
            let xl = UnsafeRawPointer(x + 32 * b).loadUnaligned(as: SIMD16<Float>.self)
            let xh = UnsafeRawPointer(x + 32 * b + 16).loadUnaligned(as: SIMD16<Float>.self)
            let qx = (low * xl + high * xh).sum()
            total += d * qx + m * (xl + xh).sum()
        }
        return total
    }

    static func q4_0(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var total: Float = 0
        for b in 0..<(count / 32) {
            let block = row + b * 18
            let d = Dequantize.half(block, 0)
            let packed = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
            let low = SIMD16<Float>(packed & 0x0F) - 8
            let high = SIMD16<Float>(packed &>> 4) - 8
            let xl = UnsafeRawPointer(x + 32 * b).loadUnaligned(as: SIMD16<Float>.self)
            let xh = UnsafeRawPointer(x + 32 * b + 16).loadUnaligned(as: SIMD16<Float>.self)
            total += d * (low * xl + high * xh).sum()
        }
        return total
    }

    static func q8_0(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var total: Float = 0
        for b in 0..<(count / 32) {
            let block = row + b * 34
            let d = Dequantize.half(block, 0)
            let q0 = SIMD16<Float>(block.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self))
            let q1 = SIMD16<Float>(block.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self))
            let x0 = UnsafeRawPointer(x + 32 * b).loadUnaligned(as: SIMD16<Float>.self)
            let x1 = UnsafeRawPointer(x + 32 * b + 16).loadUnaligned(as: SIMD16<Float>.self)
            total += d * (q0 * x0 + q1 * x1).sum()
        }
        return total
    }

    static func generic(_ type: GGMLType, _ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        let block = type.blockSize
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { buffer in
            var total: Float = 0
            for b in 0..<(count / block) {
                Dequantize.row(type, row + b * type.blockBytes, count: block, into: buffer.baseAddress!)
                for i in 0..<block { total += buffer[i] * x[b * block + i] }
            }
            return total
        }
    }
}
