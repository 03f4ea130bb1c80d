/// Conversion of ggml tensor data to fp32.
///
/// The block layouts are those of llama.cpp's `ggml-common.h` (`block_q4_0` …) and the
/// reference decoders `dequantize_row_*` in `ggml-quants.c`; the fixtures in
/// `Tests/LLMTests/Fixtures/GGUF` check every type against the `gguf` Python package.
/// In the legacy 32-element blocks, byte `j` of the nibbles holds element `j` in its low half
/// and element `j + 16` in its high half.
public enum Dequantize {
    /// Decodes `count` elements of `type` stored in `raw` into a new array.
    public static func toFloat(_ type: GGMLType, _ raw: UnsafeRawBufferPointer, count: Int) throws -> [Float] {
        guard let needed = type.byteCount(elements: count), needed <= raw.count else {
            throw ModelFileError(
                .truncated, file: "tensor data", "\(count) \(type) elements need more than the \(raw.count) bytes given"
            )
        }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0 { row(type, raw.baseAddress!, count: count, into: out.baseAddress!) }
            initialized = count
        }
    }

    /// Decodes `count` elements (a whole number of blocks) from `source` into `out`.
    ///
    /// The unchecked building block for loaders and for matvec kernels that dequantize a row at
    /// a time; callers guarantee the sizes (`GGUFFile` validated them against the file).
    public static func row(
        _ type: GGMLType, _ source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            for i in 0..<count {
                out[i] = Float(bitPattern: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
            }
        case .f16:
            for i in 0..<count { out[i] = half(source, 2 * i) }
        case .bf16:
            // bf16 is the top half of an fp32: widen by a 16-bit shift.
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .q8_0: q8_0(source, blocks, out)
        case .q4_0: q4_0(source, blocks, out)
        case .q4_1: q4_1(source, blocks, out)
        case .q5_0: q5(source, blocks, out, hasMin: false)
        case .q5_1: q5(source, blocks, out, hasMin: true)
        case .q4_K: q4_K(source, blocks, out)
        case .q5_K: q5_K(source, blocks, out)
        case .q6_K: q6_K(source, blocks, out)
        }
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// `block_q8_0`: fp16 scale `d`, 32 × int8; x = d·q.
    static func q8_0(_ p: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = p + b * 34
            let d = half(block, 0)
            let qs = (block + 2).assumingMemoryBound(to: Int8.self)
            for j in 0..<32 { out[b * 32 + j] = d * Float(qs[j]) }
        }
    }

    /// `block_q4_0`: fp16 `d`, 16 bytes of nibbles; x = d·(q − 8).
    static func q4_0(_ p: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = p + b * 18
            let d = half(block, 0)
            let qs = (block + 2).assumingMemoryBound(to: UInt8.self)
            let y = out + b * 32
            for j in 0..<16 {
                y[j] = d * Float(Int(qs[j] & 0x0F) - 8)
                y[j + 16] = d * Float(Int(qs[j] >> 4) - 8)
            }
        }
    }

    /// `block_q4_1`: fp16 `d`, fp16 `m`, 16 bytes of nibbles; x = d·q + m.
    static func q4_1(_ p: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = p + b * 20
            let d = half(block, 0)
            let m = half(block, 2)
            let qs = (block + 4).assumingMemoryBound(to: UInt8.self)
            let y = out + b * 32
            for j in 0..<16 {
                y[j] = d * Float(qs[j] & 0x0F) + m
                y[j + 16] = d * Float(qs[j] >> 4) + m
            }
        }
    }

    /// `block_q5_0` / `block_q5_1`: fp16 `d` (and `m`), a u32 `qh` of fifth bits (bit j for element
    /// j, bit j + 16 for element j + 16), 16 bytes of nibbles; x = d·(q − 16), or d·q + m.
    static func q5(_ p: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>, hasMin: Bool) {
        let stride = hasMin ? 24 : 22
        let header = hasMin ? 4 : 2
        for b in 0..<blocks {
            let block = p + b * stride
            let d = half(block, 0)
            let m: Float = hasMin ? half(block, 2) : 0
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: header, as: UInt32.self))
            let qs = (block + header + 4).assumingMemoryBound(to: UInt8.self)
            let offset = hasMin ? 0 : 16
            let y = out + b * 32
            for j in 0..<16 {
                let high0 = Int((qh >> UInt32(j)) & 1) << 4
                let high1 = Int((qh >> UInt32(j + 16)) & 1) << 4
                y[j] = d * Float((Int(qs[j] & 0x0F) | high0) - offset) + m
                y[j + 16] = d * Float((Int(qs[j] >> 4) | high1) - offset) + m
            }
        }
    }
}
