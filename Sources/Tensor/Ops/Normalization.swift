/// RMSNorm (Llama) and LayerNorm (GPT-2) over the last axis.
///
/// RMSNorm, as Hugging Face `LlamaRMSNorm`: y = x · rsqrt(mean(x²) + ε) · w
///   x: (…, C), weight: (C) → y: (…, C); saves rstd: (rows)
///   dx = rstd · (w⊙dy − x̂ · mean(w⊙dy⊙x̂)),  dw = Σ_rows dy⊙x̂,  x̂ = x·rstd
/// LayerNorm, as `torch.nn.LayerNorm`: y = (x − μ) · rstd · w + b (biased variance)
///   saves mean and rstd: (rows)
///   dx = rstd · (w⊙dy − mean(w⊙dy) − x̂ · mean(w⊙dy⊙x̂)),  dw = Σ dy⊙x̂,  db = Σ dy
/// Statistics are taken in Double per row; weight gradients are summed per thread, then reduced.
extension Tensor {
    public func rmsNorm(weight: Tensor, epsilon: Float = 1e-5) -> Tensor {
        normalize(weight: weight, bias: nil, epsilon: epsilon, centered: false)
    }

    public func layerNorm(weight: Tensor, bias: Tensor?, epsilon: Float = 1e-5) -> Tensor {
        normalize(weight: weight, bias: bias, epsilon: epsilon, centered: true)
    }

    private func normalize(weight: Tensor, bias: Tensor?, epsilon: Float, centered: Bool) -> Tensor {
        let c = shape[rank - 1]
        precondition(weight.shape == [c], "norm weight shape \(weight.shape) does not match last dim \(c) of \(shape)")
        if let bias { precondition(bias.shape == [c], "norm bias shape \(bias.shape) != [\(c)]") }
        let rows = c == 0 ? 0 : count / c
        let x = contiguousData()
        let w = weight.contiguousData()
        let b = bias?.contiguousData()
        let out = Tensor.empty(shape)
        let means = Tensor.empty([rows])
        let rstds = Tensor.empty([rows])
        let px = Parallel.Pointer(x.data)
        let pw = Parallel.Pointer(w.data)
        let py = Parallel.Pointer(out.data)
        let pb = b.map { Parallel.Pointer($0.data) }
        let pm = Parallel.Pointer(means.data)
        let pr = Parallel.Pointer(rstds.data)
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(c, 1))) { range in
            for row in range {
                let xr = px + row * c
                let yr = py + row * c
                var mean: Double = 0
                if centered {
                    for j in 0..<c { mean += Double(xr[j]) }
                    mean /= Double(c)
                }
                var squares: Double = 0
                for j in 0..<c {
                    let d = Double(xr[j]) - mean
                    squares += d * d
                }
                let rstd = Float(1 / (squares / Double(c) + Double(epsilon)).squareRoot())
                let m = Float(mean)
                pm[row] = m
                pr[row] = rstd
                if let pb {
                    for j in 0..<c { yr[j] = (xr[j] - m) * rstd * pw[j] + pb[j] }
                } else {
                    for j in 0..<c { yr[j] = (xr[j] - m) * rstd * pw[j] }
                }
            }
        }
        let xs = x.detached()
        let ws = w.detached()
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        let wantsBias = bias?.requiresGrad ?? false
        return out.recorded(centered ? "layerNorm" : "rmsNorm", inputs) { g in
            let (dx, dw, db) = Tensor.normBackward(
                x: xs, weight: ws, mean: means, rstd: rstds, dy: g, centered: centered, wantsBias: wantsBias)
            return centered && inputs.count == 3 ? [dx, dw, db] : [dx, dw]
        }
    }

    private static func normBackward(
        x: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor, dy: Tensor, centered: Bool, wantsBias: Bool
    ) -> (Tensor, Tensor, Tensor?) {
        let c = weight.count
        let rows = mean.count
        let g = dy.contiguousData()
        let dx = Tensor.empty(x.shape)
        let chunks = Swift.min(Parallel.threadCount, Swift.max(1, rows))
        // Per-chunk partial sums of dw and db, reduced at the end (no atomics, deterministic).
        let partial = Tensor.zeros([chunks, 2, c])
        let px = Parallel.Pointer(x.data)
        let pw = Parallel.Pointer(weight.data)
        let pg = Parallel.Pointer(g.data)
        let pd = Parallel.Pointer(dx.data)
        let pm = Parallel.Pointer(mean.data)
        let pr = Parallel.Pointer(rstd.data)
        let pp = Parallel.Pointer(partial.data)
        Parallel.forRanges(chunks) { chunkRange in
            for chunk in chunkRange {
                let dwAcc = pp + chunk * 2 * c
                let dbAcc = pp + (chunk * 2 + 1) * c
                for row in (rows * chunk / chunks)..<(rows * (chunk + 1) / chunks) {
                    let xr = px + row * c
                    let gr = pg + row * c
                    let dr = pd + row * c
                    let m = pm[row]
                    let r = pr[row]
                    var meanWdy: Float = 0
                    var meanWdyXhat: Float = 0
                    for j in 0..<c {
                        let xhat = (xr[j] - m) * r
                        let wdy = pw[j] * gr[j]
                        meanWdy += wdy
                        meanWdyXhat += wdy * xhat
                        dwAcc[j] += gr[j] * xhat
                        dbAcc[j] += gr[j]
                    }
                    meanWdy /= Float(c)
                    meanWdyXhat /= Float(c)
                    if !centered { meanWdy = 0 }
                    for j in 0..<c {
                        let xhat = (xr[j] - m) * r
                        dr[j] = r * (pw[j] * gr[j] - meanWdy - xhat * meanWdyXhat)
                    }
                }
            }
        }
        let sums = partial.sum(axis: 0)  // (2, C)
        let dw = sums.sliced(axis: 0, range: 0..<1).reshaped([c]).contiguousCopy()
        let db = wantsBias ? sums.sliced(axis: 0, range: 1..<2).reshaped([c]).contiguousCopy() : nil
        return (dx, dw, db)
    }
}
