/// Encoding fp32 values into the ggml types a GGUF export writes: F32, F16 and Q8_0.
///
/// Q8_0 follows ggml's reference quantizer (`quantize_row_q8_0_ref` in `ggml-quants.c`) bit for
/// bit: per block of 32, d = max|x| / 127 stored as fp16, q = round(x / d) with `roundf`
/// (ties away from zero) using 1/d computed from the fp32 d, so our files equal llama.cpp's and
/// `gguf-py`'s `quantize` for the same input. F16 is IEEE round-to-nearest-even, as F16C and
/// numpy's `astype(float16)` do.
public enum Quantize {
    /// The types this encoder writes.
    public static let supported: [GGMLType] = [.f32, .f16, .q8_0]

    /// `values` encoded as `type`; `values.count` must be a whole number of blocks.
    public static func encode(_ values: [Float], as type: GGMLType) -> [UInt8] {
        precondition(supported.contains(type), "cannot encode \(type)")
        precondition(values.count % type.blockSize == 0, "\(values.count) values are not whole \(type) blocks")
        var out = [UInt8](repeating: 0, count: values.count / type.blockSize * type.blockBytes)
        values.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBytes { raw in
                switch type {
                case .f32:
                    raw.copyMemory(from: UnsafeRawBufferPointer(x))
                case .f16:
                    for i in x.indices {
                        raw.storeBytes(of: Float16(x[i]).bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                    }
                case .q8_0:
                    for block in 0..<(x.count / 32) {
                        q8_0Block(x.baseAddress! + block * 32, into: raw.baseAddress! + block * 34)
                    }
                default:
                    break
                }
            }
        }
        return out
    }

    /// One `block_q8_0`: fp16 d, then 32 int8.
    static func q8_0Block(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let inverse: Float = d != 0 ? 1 / d : 0
        block.storeBytes(of: Float16(d).bitPattern.littleEndian, as: UInt16.self)
        for j in 0..<32 {
            let q = (x[j] * inverse).rounded(.toNearestOrAwayFromZero)
            block.storeBytes(of: Int8(q), toByteOffset: 2 + j, as: Int8.self)
        }
    }
}
