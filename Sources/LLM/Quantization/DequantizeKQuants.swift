/// The K-quants: 256-element super-blocks split into sub-blocks with their own quantized scales
/// (`block_q4_K`, `block_q5_K`, `block_q6_K` in ggml-common.h; decoders `dequantize_row_q4_K`,
/// `_q5_K`, `_q6_K` in ggml-quants.c).
extension Dequantize {
    /// The 6-bit scale and min of sub-block `j` (0..<8) from the 12 packed bytes of Q4_K/Q5_K:
    /// bytes 0–3 hold scales 0–3 (low 6 bits), bytes 4–7 mins 0–3; sub-blocks 4–7 take their low
    /// 4 bits from bytes 8–11 and their top 2 bits from the spare high bits of bytes 0–7.
    @inline(__always)
    static func scaleMin(_ q: UnsafePointer<UInt8>, _ j: Int) -> (Float, Float) {
        if j < 4 {
            return (Float(q[j] & 63), Float(q[j + 4] & 63))
        }
        let scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4)
        let min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4)
        return (Float(scale), Float(min))
    }

    /// `block_q4_K` (144 bytes): fp16 `d`, fp16 `dmin`, 12 bytes of scales/mins, 128 bytes of
    /// nibbles. Each 64 elements use 32 bytes: low nibbles for the first 32, high for the next.
    /// x = d·scale·q − dmin·min.
    static func q4_K(_ p: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = p + b * 144
            let d = half(block, 0)
            let dmin = half(block, 2)
            let scales = (block + 4).assumingMemoryBound(to: UInt8.self)
            let qs = (block + 16).assumingMemoryBound(to: UInt8.self)
            let y = out + b * 256
            for group in 0..<4 {
                let (sc0, m0) = scaleMin(scales, 2 * group)
                let (sc1, m1) = scaleMin(scales, 2 * group + 1)
                let d0 = d * sc0
                let min0 = dmin * m0
                let d1 = d * sc1
                let min1 = dmin * m1
                let q = qs + 32 * group
                let yg = y + 64 * group
                for l in 0..<32 {
                    yg[l] = d0 * Float(q[l] & 0x0F) - min0
                    yg[l + 32] = d1 * Float(q[l] >> 4) - min1
                }
            }
        }
    }

    /// `block_q5_K` (176 bytes): as Q4_K plus 32 bytes `qh` of fifth bits, where bit `i` of
    /// `qh[l]` belongs to element `l` of sub-block `i`.
    static func q5_K(_ p: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = p + b * 176
            let d = half(block, 0)
            let dmin = half(block, 2)
            let scales = (block + 4).assumingMemoryBound(to: UInt8.self)
            let qh = (block + 16).assumingMemoryBound(to: UInt8.self)
            let qs = (block + 48).assumingMemoryBound(to: UInt8.self)
            let y = out + b * 256
            for group in 0..<4 {
                let (sc0, m0) = scaleMin(scales, 2 * group)
                let (sc1, m1) = scaleMin(scales, 2 * group + 1)
                let d0 = d * sc0
                let min0 = dmin * m0
                let d1 = d * sc1
                let min1 = dmin * m1
                let bit0 = UInt8(1) << UInt8(2 * group)
                let bit1 = UInt8(1) << UInt8(2 * group + 1)
                let q = qs + 32 * group
                let yg = y + 64 * group
                for l in 0..<32 {
                    let high0: UInt8 = qh[l] & bit0 != 0 ? 16 : 0
                    let high1: UInt8 = qh[l] & bit1 != 0 ? 16 : 0
                    yg[l] = d0 * Float((q[l] & 0x0F) + high0) - min0
                    yg[l + 32] = d1 * Float((q[l] >> 4) + high1) - min1
                }
            }
        }
    }

    /// `block_q6_K` (210 bytes): 128 bytes `ql` (low 4 bits), 64 bytes `qh` (high 2 bits),
    /// 16 int8 scales (one per 16 elements), fp16 `d` last. Each half of 128 elements uses 64 bytes
    /// of `ql` and 32 of `qh`; x = d·scale·(q − 32).
    static func q6_K(_ p: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = p + b * 210
            let d = half(block, 208)
            for part in 0..<2 {
                let ql = (block + 64 * part).assumingMemoryBound(to: UInt8.self)
                let qh = (block + 128 + 32 * part).assumingMemoryBound(to: UInt8.self)
                let sc = (block + 192 + 8 * part).assumingMemoryBound(to: Int8.self)
                let y = out + b * 256 + 128 * part
                for l in 0..<32 {
                    let s = l / 16
                    let q1 = Int((ql[l] & 0x0F) | ((qh[l] & 3) << 4)) - 32
                    let q2 = Int((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32
                    let q3 = Int((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32
                    let q4 = Int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32
                    y[l] = d * Float(sc[s]) * Float(q1)
                    y[l + 32] = d * Float(sc[s + 2]) * Float(q2)
                    y[l + 64] = d * Float(sc[s + 4]) * Float(q3)
                    y[l + 96] = d * Float(sc[s + 6]) * Float(q4)
                }
            }
        }
    }
}
