import Tensor

/// One adapted projection's LoRA update, applied next to the frozen weight instead of merged
/// into it: y += scale · (x · Aᵀ) · Bᵀ, as PEFT's `lora.Linear.forward` computes it
/// (`result + lora_B(lora_A(dropout(x))) * scaling`, dropout off at inference).
///
///   x: (N, in)  →  t = x · Aᵀ: (N, rank)  →  y += scale · t · Bᵀ: (N, out)
///
/// Why unmerged: the base stays quantized (Q4_1/Q8_0 kernels keep their speed and memory) and
/// one base file serves any number of adapters; the update costs 2·rank·(in + out) flops per
/// token, about rank / min(in, out) of the base projection — a few percent at rank 16.
public struct LowRankUpdate: Sendable {
    public let rank: Int
    public let scale: Float
    /// A: (rank, in), row-major.
    public let down: Tensor
    /// B: (out, rank), row-major.
    public let up: Tensor

    public init(pair: LoRAAdapter.Pair, rank: Int, scale: Float) {
        precondition(pair.a.count == rank * pair.inFeatures && pair.b.count == pair.outFeatures * rank)
        self.rank = rank
        self.scale = scale
        down = Tensor(pair.a, shape: [rank, pair.inFeatures])
        up = Tensor(pair.b, shape: [pair.outFeatures, rank])
    }

    public var inFeatures: Int { down.shape[1] }
    public var outFeatures: Int { up.shape[0] }

    /// y (N × out) += scale · x (N × in) · Aᵀ · Bᵀ.
    func add(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        let (r, columns, rows) = (rank, inFeatures, outFeatures)
        let t = UnsafeMutablePointer<Float>.allocate(capacity: n * r)
        defer { t.deallocate() }
        BLAS.gemm(
            transA: false, transB: true, m: n, n: r, k: columns, a: x, lda: columns, b: down.data, ldb: columns,
            c: t, ldc: r)
        BLAS.gemm(
            transA: false, transB: true, m: n, n: rows, k: r, alpha: scale, a: t, lda: r, b: up.data, ldb: r,
            beta: 1, c: y, ldc: rows)
    }

    /// The dense update scale · B · A (out × in, row-major), what merging adds to the weight.
    public func dense() -> [Float] {
        let (r, columns, rows) = (rank, inFeatures, outFeatures)
        var out = [Float](repeating: 0, count: rows * columns)
        out.withUnsafeMutableBufferPointer { c in
            BLAS.gemm(
                transA: false, transB: false, m: rows, n: columns, k: r, alpha: scale, a: up.data, lda: r,
                b: down.data, ldb: columns, c: c.baseAddress!, ldc: columns)
        }
        return out
    }
}
