import Tensor

/// One linear layer's weight, `rows × columns` in PyTorch's (out, in) layout, either as fp32 or
/// kept in a ggml block quantization (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K) straight
/// from the GGUF mapping.
///
/// Why both: decoding one token is a matrix–vector product per layer and is bound by memory
/// bandwidth, so reading 0.5–1 byte per weight instead of 4 is what lets decode keep up with
/// llama.cpp; the fp32 form is what BLAS and the autograd path want, and matches PyTorch +
/// `transformers` (which dequantize GGUF files to fp32) bit for bit in the weights.
///
///   x: (N, columns) row-major  →  y: (N, rows) = x · Wᵀ
/// With N ≤ ``integerBatchLimit`` (decode, batched decode) a quantized weight uses the fused
/// integer kernels of ``QuantizedDot``: the N activation rows are quantized to 8 bits once and each
/// thread takes a band of weight rows, reading every weight once per call. With more rows (prefill)
/// each thread dequantizes a band of rows into a scratch buffer and multiplies it with one
/// single-threaded SGEMM, so every weight is decoded once per call and the arithmetic runs at
/// SGEMM speed.
public struct WeightMatrix: @unchecked Sendable {
    public enum Storage {
        case float(Tensor)
        /// Raw ggml blocks, `rows` rows of `columns / blockSize` blocks; `owner` keeps the bytes alive.
        case quantized(GGMLType, UnsafeRawPointer, owner: AnyObject)
    }

    public let rows: Int
    public let columns: Int
    public let storage: Storage
    /// Whether small products of a quantized weight quantize their activations and use the integer
    /// kernels (``WeightPrecision/native``); false keeps fp32 activations (``WeightPrecision/nativeExact``).
    public let integerKernels: Bool
    /// A LoRA update applied after the frozen weight (``LowRankUpdate``); nil for a plain layer.
    /// ``floatTensor()`` and ``row(_:into:)`` read the frozen weight only; ``mergedFloats()`` adds it.
    public internal(set) var lowRank: LowRankUpdate?

    public init(float values: [Float], rows: Int, columns: Int) {
        precondition(values.count == rows * columns, "weight of \(values.count) values is not \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        storage = .float(Tensor(values, shape: [rows, columns]))
        integerKernels = false
    }

    public init(
        quantized type: GGMLType, bytes: UnsafeRawPointer, owner: AnyObject, rows: Int, columns: Int,
        integerKernels: Bool = true
    ) {
        precondition(columns % type.blockSize == 0, "a \(type) row of \(columns) values is not whole blocks")
        self.rows = rows
        self.columns = columns
        storage = .quantized(type, bytes, owner: owner)
        self.integerKernels = integerKernels && QuantizedDot.supports(type)
    }

    /// Whether the fused kernels of ``QuantizedDot`` cover this type (others are dequantized at load).
    public static func keepsQuantized(_ type: GGMLType) -> Bool { QuantizedDot.supports(type) }

    /// The most activation rows a product runs through the integer kernels; above it, tiles of the
    /// weight are dequantized into SGEMM (see the type's documentation for the trade-off).
    public static let integerBatchLimit = 16

    /// Bytes the weight occupies in memory.
    public var byteCount: Int {
        switch storage {
        case .float: return rows * columns * 4
        case .quantized(let type, _, _): return rows * columns / type.blockSize * type.blockBytes
        }
    }

    /// The weight as an fp32 tensor (rows, columns): shared for fp32, decoded for quantized weights.
    public func floatTensor() -> Tensor {
        switch storage {
        case .float(let tensor): return tensor
        case .quantized(let type, let base, _):
            let out = Tensor.empty([rows, columns])
            Dequantize.row(type, base, count: rows * columns, into: out.data)
            return out
        }
    }

    /// Row `index` in fp32 (an embedding lookup).
    public func row(_ index: Int, into out: UnsafeMutablePointer<Float>) {
        precondition(index >= 0 && index < rows, "row \(index) is outside 0..<\(rows)")
        switch storage {
        case .float(let tensor): out.update(from: tensor.data + index * columns, count: columns)
        case .quantized(let type, let base, _):
            let rowBytes = columns / type.blockSize * type.blockBytes
            Dequantize.row(type, base + index * rowBytes, count: columns, into: out)
        }
    }

    /// y (N × rows) = x (N × columns) · Wᵀ (+ the low-rank update when one is attached), overwriting y.
    public func apply(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        Self.apply([self], x, count: n, into: [y])
    }

    /// The weight with its low-rank update folded in, fp32 row-major (rows × columns): what a
    /// merged export writes. Without an update, the frozen weight dequantized.
    public func mergedFloats() -> [Float] {
        let base = floatTensor()
        var values = Array(UnsafeBufferPointer(start: base.data, count: rows * columns))
        if let lowRank {
            let delta = lowRank.dense()
            for i in values.indices { values[i] += delta[i] }
        }
        return values
    }

    /// This weight with `update` attached (replacing any earlier one).
    public func adapted(by update: LowRankUpdate?) -> WeightMatrix {
        var copy = self
        copy.lowRank = update
        return copy
    }

    /// Weight rows decoded per SGEMM in prefill.
    static let bandRows = 64

    /// The frozen weight's product through BLAS (fp32) or decoded bands into SGEMM (quantized, many
    /// rows); small quantized products take the integer kernels in ``apply(_:_:count:into:)``.
    func applyFrozen(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        switch storage {
        case .float(let tensor):
            BLAS.gemm(
                transA: false, transB: true, m: n, n: rows, k: columns, a: x, lda: columns, b: tensor.data,
                ldb: columns, c: y, ldc: rows)
        case .quantized(let type, let base, _):
            let rowBytes = columns / type.blockSize * type.blockBytes
            let input = Parallel.Pointer(UnsafeMutablePointer(mutating: x)), output = Parallel.Pointer(y)
            let weights = UnsafeSendableRaw(base)
            let band = Self.bandRows
            let bands = (rows + band - 1) / band
            // Inside the region every thread's budget is one thread, so each SGEMM runs serially.
            Parallel.forRanges(bands) { bandRange in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: band * columns)
                defer { scratch.deallocate() }
                for b in bandRange {
                    let first = b * band, count = min(band, rows - first)
                    let tile = weights.pointer + first * rowBytes
                    if QuantizedDot.supports(type) {
                        QuantizedDot.dequantize(type, tile, count: count * columns, into: scratch)
                    } else {
                        Dequantize.row(type, tile, count: count * columns, into: scratch)
                    }
                    BLAS.gemm(
                        transA: false, transB: true, m: n, n: count, k: columns, a: input.base, lda: columns,
                        b: scratch, ldb: columns, c: output + first, ldc: rows)
                }
            }
        }
    }
}

/// A read-only raw pointer handed to the threads of a parallel region (they only read weights).
struct UnsafeSendableRaw: @unchecked Sendable {
    let pointer: UnsafeRawPointer
    init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
}
