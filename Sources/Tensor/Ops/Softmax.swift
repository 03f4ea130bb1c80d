#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax and log-softmax over the last axis, numerically stable (the row maximum is
/// subtracted before `exp`, as in PyTorch's `_softmax` CPU kernel).
///   x: (…, n) → y: (…, n)
/// Backward keeps only y:
///   softmax:     dx = y ⊙ (dy − Σ dy⊙y)
///   log-softmax: dx = dy − exp(y) · Σ dy
extension Tensor {
    public func softmax() -> Tensor { softmaxFamily(log: false) }
    public func logSoftmax() -> Tensor { softmaxFamily(log: true) }

    private func softmaxFamily(log: Bool) -> Tensor {
        precondition(rank >= 1, "softmax needs at least one dimension")
        let n = shape[rank - 1]
        let rows = n == 0 ? 0 : count / n
        let x = contiguousData()
        let out = Tensor.empty(shape)
        let px = Parallel.Pointer(x.data)
        let py = Parallel.Pointer(out.data)
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { range in
            for row in range {
                let src = px + row * n
                let dst = py + row * n
                var peak = VectorMath.maximum(src, count: n)
                if peak == -Float.infinity { peak = 0 }
                let total = VectorMath.expShiftedSum(src, shift: peak, into: dst, count: n)
                if log {
                    let shift = peak + logf(total)
                    for j in 0..<n { dst[j] = src[j] - shift }
                } else {
                    let inverse = 1 / total
                    for j in 0..<n { dst[j] *= inverse }
                }
            }
        }
        let y = out.detached()
        return out.recorded(log ? "logSoftmax" : "softmax", [self]) { g in
            let gc = g.contiguousData()
            let dx = Tensor.empty(y.shape)
            let py = Parallel.Pointer(y.data)
            let pg = Parallel.Pointer(gc.data)
            let pd = Parallel.Pointer(dx.data)
            Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { range in
                for row in range {
                    let yr = py + row * n
                    let gr = pg + row * n
                    let dr = pd + row * n
                    var dot: Float = 0
                    if log {
                        for j in 0..<n { dot += gr[j] }
                        for j in 0..<n { dr[j] = gr[j] - expf(yr[j]) * dot }
                    } else {
                        for j in 0..<n { dot += gr[j] * yr[j] }
                        for j in 0..<n { dr[j] = yr[j] * (gr[j] - dot) }
                    }
                }
            }
            return [dx]
        }
    }
}
