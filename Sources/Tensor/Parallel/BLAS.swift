import COpenBLAS

/// Thin wrappers over OpenBLAS (`cblas_sgemm`, `cblas_sgemv`) on row-major matrices.
///
/// OpenBLAS keeps one process-wide thread count, which cannot serve two models with two budgets;
/// so it is pinned to one thread, and ``gemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
/// splits a large product over the current ``ThreadBudget`` itself, cutting C into column blocks at
/// multiples of 64 — each element is computed by the same single-threaded kernel with the same
/// reduction over k, whatever the budget (cutting rows would not be: tested). Inside a parallel region the budget is one thread,
/// so a product issued per attention head or per batch item runs serially, as DESIGN.md advises.
public enum BLAS {
    /// OpenBLAS's own threads stay unused; see the type's documentation.
    private static let pinned: Void = openblas_set_num_threads(1)

    /// Runs `body` with a budget of one thread (what a caller that already occupies every core wants).
    public static func singleThreaded<Result>(_ body: () throws -> Result) rethrows -> Result {
        try ThreadBudget.single.run(body)
    }

    /// Products below this many multiply-adds stay on the calling thread.
    static let parallelWork = 1 << 18

    /// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major, with leading dimensions.
    /// op(A) is m×k, op(B) is k×n. Uses `sgemv` when m or n is 1 (decode steps), which OpenBLAS
    /// runs faster than a degenerate GEMM.
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        _ = pinned
        let threads = Parallel.threadCount
        // Only columns are split, and a one-row product only when each output is a dot product
        // (transposed B: `sgemv_t`): OpenBLAS computes such a column the same way wherever it sits,
        // but rounds a block of rows, or an `sgemv_n` output, differently depending on where it is
        // cut (tested), and results must not depend on the budget.
        guard threads > 1, n >= 128, m > 1 || transB, m * n * k >= parallelWork else {
            return serialGemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
        }
        let blocks = (n + 63) / 64
        let parts = min(threads, blocks)
        let (pa, pb, pc) = (SendableFloats(a), SendableFloats(b), SendableFloats(c))
        Parallel.region(parts) { part in
            // Columns first..<end of C and of op(B) (rows of B when it is transposed).
            let first = min(blocks * part / parts * 64, n), end = min(blocks * (part + 1) / parts * 64, n)
            serialGemm(
                transA: transA, transB: transB, m: m, n: end - first, k: k, alpha: alpha, a: pa.read, lda: lda,
                b: pb.read + (transB ? first * ldb : first), ldb: ldb, beta: beta, c: pc.write + first, ldc: ldc)
        }
    }

    private static func serialGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if k == 0 {
            scaleMatrix(c, rows: m, cols: n, ld: ldc, beta: beta)
            return
        }
        if m == 1 {
            // c[1×n] = op(B)ᵀ-shaped product: treat as y = op(B)ᵀ x with x = row of op(A).
            let incX = transA ? lda : 1
            // OpenBLAS scales y by beta with SCAL, which keeps a NaN of uninitialised memory; clear it.
            if beta == 0 { c.update(repeating: 0, count: n) }
            // op(B) is k×n: y[n] = op(B)ᵀ x. Row-major B (k×ldb): no-trans B means y = Bᵀx → CblasTrans.
            cblas_sgemv(
                CblasRowMajor, transB ? CblasNoTrans : CblasTrans, Int32(transB ? n : k), Int32(transB ? k : n),
                alpha, b, Int32(ldb), a, Int32(incX), beta, c, 1)
            return
        }
        if n == 1 {
            // c[m×1] = op(A) y with y the column of op(B).
            let incY = transB ? 1 : ldb
            if beta == 0 { for row in 0..<m { c[row * ldc] = 0 } }
            cblas_sgemv(
                CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(transA ? k : m), Int32(transA ? m : k),
                alpha, a, Int32(lda), b, Int32(incY), beta, c, Int32(ldc))
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    private static func scaleMatrix(_ c: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int, beta: Float) {
        for row in 0..<rows {
            let line = c + row * ld
            for col in 0..<cols { line[col] = beta == 0 ? 0 : beta * line[col] }
        }
    }
}

/// A matrix pointer handed to the threads of a split product (each writes its own block of C).
private struct SendableFloats: @unchecked Sendable {
    let write: UnsafeMutablePointer<Float>
    var read: UnsafePointer<Float> { UnsafePointer(write) }
    init(_ pointer: UnsafePointer<Float>) { write = UnsafeMutablePointer(mutating: pointer) }
    init(_ pointer: UnsafeMutablePointer<Float>) { write = pointer }
}
