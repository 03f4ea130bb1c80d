/// Concatenation and splitting along an axis (PyTorch `torch.cat`, `torch.split`).
///   concat: [(…, n_i, …)] → (…, Σ n_i, …); backward hands each input its slice of the gradient.
///   split: views (no copy); each piece's backward places its gradient in its slice.
extension Tensor {
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let axis = first.axis(axis)
        for tensor in tensors {
            var expected = first.shape
            var actual = tensor.shape
            precondition(
                actual.count == expected.count, "concatenate: ranks differ, \(first.shape) and \(tensor.shape)")
            expected[axis] = 0
            actual[axis] = 0
            precondition(
                actual == expected, "concatenate on axis \(axis): \(first.shape) and \(tensor.shape) differ elsewhere")
        }
        var outShape = first.shape
        outShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let out = Tensor.empty(outShape)
        var start = 0
        var ranges: [Range<Int>] = []
        for tensor in tensors {
            let range = start..<(start + tensor.shape[axis])
            withNoGrad { out.sliced(axis: axis, range: range).copyElements(from: tensor) }
            ranges.append(range)
            start = range.upperBound
        }
        return out.recorded("concat", tensors) { g in
            zip(tensors, ranges).map { tensor, range in
                tensor.requiresGrad ? g.sliced(axis: axis, range: range).contiguousCopy() : nil
            }
        }
    }

    /// Pieces of the given sizes along `axis` (views).
    public func split(axis: Int, sizes: [Int]) -> [Tensor] {
        let axis = self.axis(axis)
        precondition(
            sizes.reduce(0, +) == shape[axis],
            "split sizes \(sizes) do not add up to \(shape[axis]) (axis \(axis) of \(shape))")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return sliced(axis: axis, range: start..<(start + size))
        }
    }
}
