import COpenBLAS

/// Thin wrappers over OpenBLAS (`cblas_sgemm`, `cblas_sgemv`) on row-major matrices.
///
/// OpenBLAS keeps one global thread count. Big GEMMs issued from the caller's thread use all of
/// ``Parallel/threadCount``; loops that already run one item per core (attention heads, batched
/// matrices) call BLAS with one thread through ``singleThreaded(_:)``, as DESIGN.md advises —
/// nested thread pools oversubscribe the cores.
public enum BLAS {
    static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }

    /// Runs `body` with OpenBLAS limited to one thread, then restores ``Parallel/threadCount``.
    public static func singleThreaded<Result>(_ body: () throws -> Result) rethrows -> Result {
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(Parallel.threadCount)) }
        return try body()
    }

    /// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major, with leading dimensions.
    /// op(A) is m×k, op(B) is k×n. Uses `sgemv` when m or n is 1 (decode steps), which OpenBLAS
    /// runs faster than a degenerate GEMM.
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
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
