import CQuantKernels

/// Products of ggml-quantized weight rows with fp32 activations, through the fused integer kernels of
/// `CQuantKernels` (C, AVX2): each activation row is quantized once to 8 bits — blocks of 32 for the
/// legacy types, super-blocks of 256 with 16-element sums for the K-quants — and every weight block is
/// dotted in integers and scaled once, the arithmetic of llama.cpp's `ggml_vec_dot_<type>_q8_<0|1|K>`.
///
/// The result differs from dequantize-then-dot by the activations' 8-bit rounding (a relative error
/// of about 0.4% of the row's largest activation per element, averaging out over a dot product) and
/// by the fp32 summation order. ``WeightMatrix`` uses it for decode and small batches; prefill of
/// many rows dequantizes tiles into SGEMM instead, where the weights' decode cost is shared.
public enum QuantizedDot {
    /// Whether the fused kernels cover `type`.
    public static func supports(_ type: GGMLType) -> Bool { cq_supports(Int32(type.rawValue)) != 0 }

    /// Bytes of one quantized activation row of `count` values for weights of `type`.
    public static func activationRowBytes(_ type: GGMLType, count: Int) -> Int {
        cq_activation_row_bytes(Int32(type.rawValue), Int32(count))
    }

    /// Whether weights of types `a` and `b` read the same quantized activations (blocks of 32 for
    /// the legacy types, super-blocks of 256 for the K-quants), so one quantized copy serves both.
    public static func sharesActivations(_ a: GGMLType, _ b: GGMLType) -> Bool {
        cq_activation_row_bytes(Int32(a.rawValue), 256) == cq_activation_row_bytes(Int32(b.rawValue), 256)
    }

    /// Quantizes `rows` activation rows of `count` values (row-major) into `out`, one row every
    /// ``activationRowBytes(_:count:)`` bytes, in the block format `type`'s kernel reads.
    public static func quantizeActivations(
        _ type: GGMLType, _ x: UnsafePointer<Float>, rows: Int, count: Int, into out: UnsafeMutableRawPointer
    ) {
        let stride = activationRowBytes(type, count: count)
        for r in 0..<rows { cq_quantize_activations(Int32(type.rawValue), x + r * count, Int32(count), out + r * stride) }
    }

    /// y[c·ldy + r] = W[r]·x_c for weight rows `rows` and `columns` quantized activation rows.
    public static func multiply(
        _ type: GGMLType, weights: UnsafeRawPointer, rowBytes: Int, rows: Range<Int>, count: Int,
        activations: UnsafeRawPointer, columns: Int, into y: UnsafeMutablePointer<Float>, ldy: Int
    ) {
        cq_matmul(
            Int32(type.rawValue), weights, rowBytes, Int32(rows.lowerBound), Int32(rows.upperBound), Int32(count),
            activations, activationRowBytes(type, count: count), Int32(columns), y, ldy)
    }

    /// y[r] = Σ W[r, i]·x[i] for `rows` consecutive rows of `columns` elements stored as `type`, on one
    /// thread (``WeightMatrix/apply(_:count:into:)`` is the threaded product).
    public static func matvec(
        _ type: GGMLType, weights: UnsafeRawPointer, rows: Int, columns: Int,
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>
    ) {
        precondition(supports(type), "no fused kernel for \(type)")
        let activations = UnsafeMutableRawPointer.allocate(
            byteCount: activationRowBytes(type, count: columns), alignment: 64)
        defer { activations.deallocate() }
        quantizeActivations(type, x, rows: 1, count: columns, into: activations)
        multiply(
            type, weights: weights, rowBytes: type.byteCount(elements: columns)!, rows: 0..<rows, count: columns,
            activations: activations, columns: 1, into: y, ldy: 1)
    }

    /// Decodes `count` weights (whole blocks) of `type` to fp32 with the SIMD decoder: the tiles that
    /// prefill multiplies with SGEMM. Equal to ``Dequantize/row(_:_:count:into:)`` up to the fp32
    /// rounding of the d·scale products.
    public static func dequantize(_ type: GGMLType, _ source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        cq_dequantize_row(Int32(type.rawValue), source, Int32(count), out)
    }

    /// The instruction set of the dot products: "avx512vnni" on processors that have it, else "avx2".
    public static var kernelVariant: String { String(cString: cq_kernel_variant()) }

    /// Allows or forbids the AVX-512 VNNI variant (tests compare both on the same bytes).
    static func allowVNNI(_ allowed: Bool) { cq_allow_vnni(allowed ? 1 : 0) }

    /// The plain-C reference of one row's dot product (what the SIMD kernels are tested against).
    static func referenceDot(
        _ type: GGMLType, row: UnsafeRawPointer, activations: UnsafeRawPointer, count: Int
    ) -> Float {
        cq_vec_dot_reference(Int32(type.rawValue), row, activations, Int32(count))
    }

    /// The SIMD kernel's dot product of one row.
    static func dot(_ type: GGMLType, row: UnsafeRawPointer, activations: UnsafeRawPointer, count: Int) -> Float {
        cq_vec_dot(Int32(type.rawValue), row, activations, Int32(count))
    }
}
