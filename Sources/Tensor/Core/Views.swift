/// Views: new shapes and strides over the same storage, without copying (PyTorch's `view`,
/// `permute`, `narrow`, `expand`). Each records a backward that maps the gradient back to the
/// source layout. Kernels want contiguous inputs and call ``contiguous()``, which copies only
/// when the view is not already row-major.
extension Tensor {
    /// Same elements, new shape (one dimension may be `-1`). A view when the strides allow it
    /// (PyTorch's `computeStride` rule), else a contiguous copy.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let shape = resolvedShape(newShape)
        if shape == self.shape { return self }
        let out: Tensor
        if let viewStrides = viewStrides(for: shape) {
            out = Tensor(storage: storage, shape: shape, strides: viewStrides, offset: offset)
        } else {
            let copy = withNoGrad { contiguousCopy() }
            out = Tensor(storage: copy.storage, shape: shape)
        }
        let inputShape = self.shape
        return out.recorded("reshape", [self]) { g in [g.reshaped(inputShape)] }
    }

    private func resolvedShape(_ newShape: [Int]) -> [Int] {
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        let inferred = newShape.filter { $0 == -1 }.count
        precondition(inferred <= 1, "reshape \(shape) → \(newShape): at most one -1")
        var shape = newShape
        if inferred == 1, let index = shape.firstIndex(of: -1) {
            precondition(
                known > 0 && count % known == 0, "reshape \(shape) → \(newShape): \(count) elements do not divide")
            shape[index] = count / known
        }
        precondition(shape.reduce(1, *) == count, "reshape \(self.shape) → \(newShape): element counts differ")
        return shape
    }

    /// Strides that present the same elements in `newShape` without a copy, or `nil` when the
    /// memory layout does not allow it. Groups old dimensions that are mutually contiguous and
    /// matches them against new dimensions chunk by chunk (PyTorch `at::detail::computeStride`).
    private func viewStrides(for newShape: [Int]) -> [Int]? {
        if count == 0 || isContiguous { return Tensor.contiguousStrides(for: newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewDim = newShape.count - 1
        var chunkBase = strides.last ?? 1
        var tensorElements = 1
        var viewElements = 1
        for tensorDim in stride(from: shape.count - 1, through: 0, by: -1) {
            tensorElements *= shape[tensorDim]
            let chunkEnds =
                tensorDim == 0 || (shape[tensorDim - 1] != 1 && strides[tensorDim - 1] != tensorElements * chunkBase)
            if chunkEnds {
                while viewDim >= 0 && (viewElements < tensorElements || newShape[viewDim] == 1) {
                    newStrides[viewDim] = viewElements * chunkBase
                    viewElements *= newShape[viewDim]
                    viewDim -= 1
                }
                if viewElements != tensorElements { return nil }
                if tensorDim > 0 {
                    chunkBase = strides[tensorDim - 1]
                    tensorElements = 1
                    viewElements = 1
                }
            }
        }
        return viewDim == -1 ? newStrides : nil
    }

    /// Reorders dimensions: result dimension `i` is source dimension `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(
            order.count == rank && Set(order) == Set(0..<rank), "permute \(order) is not a permutation of \(rank) axes")
        let out = Tensor(
            storage: storage, shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: rank)
        for (position, source) in order.enumerated() { inverse[source] = position }
        return out.recorded("permute", [self]) { g in [g.permuted(inverse)] }
    }

    /// Swaps two dimensions (a view).
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(axis(first), axis(second))
        return permuted(order)
    }

    /// Elements `range` along `axis` (a view). PyTorch's `narrow`.
    public func sliced(axis: Int, range: Range<Int>) -> Tensor {
        let axis = self.axis(axis)
        precondition(
            range.lowerBound >= 0 && range.upperBound <= shape[axis],
            "slice \(range) out of bounds for axis \(axis) of \(shape)")
        var newShape = shape
        newShape[axis] = range.count
        let out = Tensor(
            storage: storage, shape: newShape, strides: strides, offset: offset + range.lowerBound * strides[axis])
        let inputShape = shape
        return out.recorded("slice", [self]) { g in
            let full = Tensor.zeros(inputShape)
            full.sliced(axis: axis, range: range).copyElements(from: g)
            return [full]
        }
    }

    /// Broadcast view (stride 0) to `target`, following NumPy rules: dimensions are matched from
    /// the right; a size-1 dimension stretches, missing leading dimensions are added.
    public func expanded(to target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(target.count >= rank, "cannot expand \(shape) to fewer dimensions \(target)")
        let lead = target.count - rank
        var newStrides = [Int](repeating: 0, count: target.count)
        for axis in 0..<rank {
            if shape[axis] == target[lead + axis] {
                newStrides[lead + axis] = strides[axis]
            } else {
                precondition(shape[axis] == 1, "cannot broadcast \(shape) to \(target)")
            }
        }
        let out = Tensor(storage: storage, shape: target, strides: newStrides, offset: offset)
        let inputShape = shape
        return out.recorded("expand", [self]) { g in [g.summed(to: inputShape)] }
    }

    /// Inserts a size-1 dimension at `axis`.
    public func unsqueezed(_ axis: Int) -> Tensor {
        var newShape = shape
        newShape.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(newShape)
    }

    /// `self` when already row-major, else a contiguous copy (gradient passes straight through).
    public func contiguous() -> Tensor {
        isContiguous ? self : contiguousCopy()
    }

    /// Always a fresh row-major copy that owns its storage.
    public func contiguousCopy() -> Tensor {
        let out = Tensor.empty(shape)
        out.copyElements(from: self)
        return out.recorded("copy", [self]) { g in [g] }
    }

    /// Writes `source`'s elements into this view's positions (same shape). In place; not recorded.
    public func copyElements(from source: Tensor) {
        precondition(source.shape == shape, "copy: shape \(source.shape) into \(shape)")
        if isContiguous && source.isContiguous {
            data.update(from: source.data, count: count)
            return
        }
        guard count > 0 else { return }
        let inner = shape.last ?? 1
        let rows = count / inner
        let dst = Parallel.Pointer(data)
        let src = Parallel.Pointer(source.data)
        let dstStrides = strides
        let srcStrides = source.strides
        let dims = shape
        let dstInner = strides.last ?? 1
        let srcInner = source.strides.last ?? 1
        Parallel.forRanges(rows, grain: Swift.max(1, 32_768 / Swift.max(inner, 1))) { range in
            for row in range {
                var rest = row
                var dstOffset = 0
                var srcOffset = 0
                for axis in stride(from: dims.count - 2, through: 0, by: -1) {
                    let index = rest % dims[axis]
                    rest /= dims[axis]
                    dstOffset += index * dstStrides[axis]
                    srcOffset += index * srcStrides[axis]
                }
                let d = dst + dstOffset
                let s = src + srcOffset
                if dstInner == 1 && srcInner == 1 {
                    d.update(from: s, count: inner)
                } else {
                    for i in 0..<inner { d[i * dstInner] = s[i * srcInner] }
                }
            }
        }
    }

    /// Contiguous pointer to the elements, copying when needed. The returned tensor keeps the
    /// memory alive; not recorded.
    func contiguousData() -> Tensor {
        isContiguous ? self : withNoGrad { contiguousCopy() }
    }
}
