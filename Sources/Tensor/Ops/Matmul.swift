/// Matrix products on OpenBLAS, forward and backward.
///
/// `matmul(a, b, transposeA:, transposeB:)` computes op(a)·op(b) over the last two dimensions:
///   a: (…, M, K) — or (…, K, M) with `transposeA`
///   b: (K, N)    — or (N, K) with `transposeB`; or batched (…, K, N) with the same leading dims
///   out: (…, M, N)
/// A 2-D `b` under a batched `a` folds the batch into M: one big GEMM that uses every core, the
/// shape of every linear layer (`x @ Wᵀ` is `matmul(x, w, transposeB: true)`). Batched products
/// run one single-threaded GEMM per matrix across the cores. Transposed views (strides swapped)
/// are handed to BLAS with the opposite transpose flag instead of being copied.
///
/// Backward, with C = op(A)·op(B) (llm.c `matmul_backward`):
///   dA = dC·op(B)ᵀ  (or op(B)·dCᵀ when A is transposed)
///   dB = op(A)ᵀ·dC  (or dCᵀ·op(A) when B is transposed)
extension Tensor {
    /// How BLAS can read the last two dims of a tensor without a copy.
    private struct MatrixOperand {
        let tensor: Tensor
        /// Stored transposed (column-major for this shape): BLAS gets the opposite flag.
        let flipped: Bool
        let ld: Int
        /// Elements between consecutive matrices of the flattened batch (0 when broadcast).
        let batchStride: Int
    }

    /// Reads the strides of the last two dims as a normal or transposed row-major matrix and the
    /// batch dims as one uniform stride; copies only when neither fits.
    private func matrixOperand() -> MatrixOperand {
        let rows = shape[rank - 2]
        let cols = shape[rank - 1]
        let rs = strides[rank - 2]
        let cs = strides[rank - 1]
        var layout: (flipped: Bool, ld: Int)?
        if (cs == 1 || cols == 1) && (rows == 1 || rs >= cols) {
            layout = (false, rows == 1 ? cols : rs)
        } else if (rs == 1 || rows == 1) && (cols == 1 || cs >= rows) {
            layout = (true, cols == 1 ? rows : cs)
        }
        var batchStride: Int? = 0
        var expected: Int?
        for axis in stride(from: rank - 3, through: 0, by: -1) where shape[axis] != 1 {
            if let next = expected {
                if strides[axis] != next {
                    batchStride = nil
                    break
                }
                expected = next * shape[axis]
            } else {
                batchStride = strides[axis]
                expected = strides[axis] * shape[axis]
            }
        }
        if let layout, let batchStride {
            return MatrixOperand(
                tensor: self, flipped: layout.flipped, ld: Swift.max(layout.ld, 1), batchStride: batchStride)
        }
        let copy = withNoGrad { contiguousCopy() }
        return MatrixOperand(tensor: copy, flipped: false, ld: Swift.max(cols, 1), batchStride: rows * cols)
    }

    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        product(a, b, transposeA: transposeA, transposeB: transposeB, bias: nil)
    }

    /// op(a)·op(b), plus `bias` (N) on every row when given: the output is pre-filled with the
    /// bias and BLAS accumulates into it (beta = 1), saving the separate broadcast-add pass.
    private static func product(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, bias: Tensor?) -> Tensor {
        precondition(a.rank >= 2 && b.rank >= 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2]
        let k = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
        let kb = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
        let n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
        precondition(
            k == kb,
            "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · "
                + "\(b.shape)\(transposeB ? "ᵀ" : "")")
        let batchShape = Array(a.shape.dropLast(2))
        let batch = batchShape.reduce(1, *)
        precondition(
            b.rank == 2 || Array(b.shape.dropLast(2)) == batchShape,
            "matmul batch dimensions differ: \(a.shape) and \(b.shape)")
        let out = Tensor.empty(batchShape + [m, n])
        var beta: Float = 0
        if let bias {
            precondition(bias.shape == [n], "matmul bias shape \(bias.shape) != [\(n)]")
            let row = bias.contiguousData()
            for index in 0..<(batch * m) { (out.data + index * n).update(from: row.data, count: n) }
            beta = 1
        }

        let oa = a.matrixOperand()
        let ob = b.matrixOperand()
        let opA = transposeA != oa.flipped
        let opB = transposeB != ob.flipped
        if b.rank == 2 && !opA && (batch == 1 || oa.batchStride == m * oa.ld) {
            // Fold the batch into M: (batch·M, K) · (K, N) — one GEMM on all cores.
            BLAS.gemm(
                transA: false, transB: opB, m: batch * m, n: n, k: k,
                a: oa.tensor.data, lda: oa.ld, b: ob.tensor.data, ldb: ob.ld, beta: beta, c: out.data, ldc: n)
        } else {
            let strideA = oa.batchStride
            let strideB = b.rank == 2 ? 0 : ob.batchStride
            let lda = oa.ld
            let ldb = ob.ld
            let pa = Parallel.Pointer(oa.tensor.data)
            let pb = Parallel.Pointer(ob.tensor.data)
            let pc = Parallel.Pointer(out.data)
            Parallel.forEach(batch) { index in
                BLAS.gemm(
                    transA: opA, transB: opB, m: m, n: n, k: k, a: pa + index * strideA, lda: lda,
                    b: pb + index * strideB, ldb: ldb, beta: beta, c: pc + index * m * n, ldc: n)
            }
        }
        let ad = a.detached()
        let bd = b.detached()
        let inputs = bias.map { [a, b, $0] } ?? [a, b]
        return out.recorded("matmul", inputs) { g in
            var da: Tensor?
            var db: Tensor?
            if a.requiresGrad {
                if !transposeA {
                    da = matmul(g, bd, transposeA: false, transposeB: !transposeB)
                } else if b.rank == 2 && a.rank > 2 {
                    // A shared B cannot be batched on the left: dAᵀ = dC·op(B)ᵀ, then transpose.
                    da = matmul(g, bd, transposeA: false, transposeB: !transposeB).transposed(-2, -1).contiguous()
                } else {
                    da = matmul(bd, g, transposeA: transposeB, transposeB: true)
                }
            }
            if b.requiresGrad {
                if b.rank == 2 && a.rank > 2 {
                    // Sum over the batch: flatten it into the rows of both operands.
                    let g2 = g.reshaped([-1, n])
                    if transposeA {
                        let a2 = ad.transposed(-2, -1).contiguous().reshaped([-1, k])
                        db = transposeB ? matmul(g2, a2, transposeA: true) : matmul(a2, g2, transposeA: true)
                    } else {
                        let a2 = ad.reshaped([-1, k])
                        db = transposeB ? matmul(g2, a2, transposeA: true) : matmul(a2, g2, transposeA: true)
                    }
                } else {
                    db =
                        transposeB
                        ? matmul(g, ad, transposeA: true, transposeB: transposeA)
                        : matmul(ad, g, transposeA: !transposeA, transposeB: false)
                }
            }
            guard let bias else { return [da, db] }
            return [da, db, bias.requiresGrad ? g.summed(to: [n]) : nil]
        }
    }

    /// `self · other` over the last two dims.
    public func matmul(_ other: Tensor) -> Tensor { Tensor.matmul(self, other) }

    /// A linear layer, `x · Wᵀ (+ bias)` with PyTorch's weight layout (out, in).
    /// x: (…, in), weight: (out, in), bias: (out) → (…, out).
    public func linear(_ weight: Tensor, bias: Tensor? = nil) -> Tensor {
        Tensor.product(self, weight, transposeA: false, transposeB: true, bias: bias)
    }
}
