/// Sum, mean and max over an axis, and the reduction that undoes broadcasting.
///
/// A tensor is viewed as `[outer, n, inner]` around the reduced axis. Rows (`inner == 1`) sum in
/// Double so that long reductions (a loss over a batch) do not drift; `inner > 1` adds whole rows
/// vectorised. Backward of sum/mean broadcasts the gradient back; max routes it to the first
/// maximum, as PyTorch's `amax` with a single winner does.
extension Tensor {
    private func reductionGeometry(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    private func reducedShape(_ axis: Int, keepDim: Bool) -> [Int] {
        var out = shape
        if keepDim { out[axis] = 1 } else { out.remove(at: axis) }
        return out
    }

    /// Sum over `axis`. x: (…, n, …) → (…, …) or (…, 1, …) with `keepDim`.
    public func sum(axis: Int, keepDim: Bool = false) -> Tensor {
        let axis = self.axis(axis)
        let (outer, n, inner) = reductionGeometry(axis)
        let x = contiguousData()
        let out = Tensor.empty(reducedShape(axis, keepDim: keepDim))
        let px = Parallel.Pointer(x.data)
        let po = Parallel.Pointer(out.data)
        if inner == 1 {
            Parallel.forRanges(outer, grain: Swift.max(1, 16_384 / Swift.max(n, 1))) { range in
                for o in range {
                    let row = px + o * n
                    var total: Double = 0
                    for j in 0..<n { total += Double(row[j]) }
                    po[o] = Float(total)
                }
            }
        } else {
            // Split over outer when there is enough of it, else over column blocks of `inner`.
            let columnBlocks =
                outer >= Parallel.threadCount ? 1 : Swift.max(1, Swift.min(Parallel.threadCount, inner / 256))
            Parallel.forRanges(outer * columnBlocks) { range in
                for item in range {
                    let o = item / columnBlocks
                    let block = item % columnBlocks
                    let start = inner * block / columnBlocks
                    let end = inner * (block + 1) / columnBlocks
                    let dst = po + o * inner
                    for i in start..<end { dst[i] = 0 }
                    for j in 0..<n {
                        let src = px + (o * n + j) * inner
                        for i in start..<end { dst[i] += src[i] }
                    }
                }
            }
        }
        let inputShape = shape
        let keptShape = reducedShape(axis, keepDim: true)
        return out.recorded("sum", [self]) { g in [g.reshaped(keptShape).expanded(to: inputShape).contiguous()] }
    }

    /// Mean over `axis`.
    public func mean(axis: Int, keepDim: Bool = false) -> Tensor {
        sum(axis: axis, keepDim: keepDim).scaled(by: 1 / Float(shape[self.axis(axis)]))
    }

    /// Sum of all elements, as a rank-0 tensor.
    public func sum() -> Tensor {
        reshaped([count]).sum(axis: 0)
    }

    /// Mean of all elements, as a rank-0 tensor.
    public func mean() -> Tensor {
        sum().scaled(by: 1 / Float(Swift.max(count, 1)))
    }

    /// Maximum over `axis`; the gradient goes to the first position holding it.
    public func max(axis: Int, keepDim: Bool = false) -> Tensor {
        let axis = self.axis(axis)
        let (outer, n, inner) = reductionGeometry(axis)
        precondition(n > 0, "max over an empty axis of \(shape)")
        let x = contiguousData()
        let out = Tensor.empty(reducedShape(axis, keepDim: keepDim))
        var winners = [Int32](repeating: 0, count: outer * inner)
        let px = Parallel.Pointer(x.data)
        let po = Parallel.Pointer(out.data)
        winners.withUnsafeMutableBufferPointer { buffer in
            let pw = UnsafeMutableSendablePointer(buffer.baseAddress!)
            Parallel.forRanges(outer * inner, grain: 4096) { range in
                for item in range {
                    let o = item / inner
                    let i = item % inner
                    let base = px + o * n * inner + i
                    var best = base[0]
                    var at = 0
                    for j in 1..<n where base[j * inner] > best {
                        best = base[j * inner]
                        at = j
                    }
                    po[item] = best
                    pw.base[item] = Int32(at)
                }
            }
        }
        let inputShape = shape
        return out.recorded("max", [self]) { g in
            let gc = g.contiguousData()
            let dx = Tensor.zeros(inputShape)
            for item in 0..<(outer * inner) {
                let o = item / inner
                let i = item % inner
                dx.data[(o * n + Int(winners[item])) * inner + i] = gc.data[item]
            }
            return [dx]
        }
    }

    /// Sums a broadcast result back to `target` (leading dimensions dropped, stretched size-1
    /// dimensions summed with the 1 kept) — the backward of ``expanded(to:)``.
    public func summed(to target: [Int]) -> Tensor {
        if shape == target { return self }
        var result = self
        let lead = rank - target.count
        precondition(lead >= 0, "cannot sum \(shape) to larger rank \(target)")
        if lead > 0 {
            let leadCount = shape[..<lead].reduce(1, *)
            result = result.reshaped([leadCount] + Array(shape[lead...])).sum(axis: 0)
        }
        for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
            result = result.sum(axis: axis, keepDim: true)
        }
        precondition(result.shape == target, "cannot sum \(shape) to \(target)")
        return result
    }
}

/// A mutable pointer of any element type handed to workers that write disjoint indices.
struct UnsafeMutableSendablePointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}
