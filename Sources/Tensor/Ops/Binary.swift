/// Elementwise add/sub/mul/div with NumPy broadcasting, and their scalar forms.
///
/// Forward fast paths cover what a transformer does: equal shapes, a scalar, and a smaller
/// operand that repeats over the leading dimensions (bias `[C]` over `[B, T, C]`). Anything else
/// is materialised through a broadcast view first. Backward reduces each gradient back to its
/// operand's shape (``summed(to:)``), as in tinygrad's `expand` derivative.
enum BinaryKind: String { case add, sub, mul, div }

extension Tensor {
    /// NumPy broadcast of two shapes, or a precondition failure naming both.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        return (0..<rank).map { i -> Int in
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(x == y || x == 1 || y == 1, "shapes \(a) and \(b) do not broadcast")
            return x == 1 ? y : x
        }
    }

    func binary(_ kind: BinaryKind, _ other: Tensor) -> Tensor {
        let outShape = Tensor.broadcastShape(shape, other.shape)
        let out = Tensor.empty(outShape)
        let n = out.count
        let lhs: Tensor
        let rhs: Tensor
        var rhsPeriod = n
        if shape == outShape && other.count == 1 {
            lhs = contiguousData()
            rhs = other.contiguousData()
            rhsPeriod = 1
        } else if shape == outShape && Tensor.isTrailingRepeat(other.shape, of: outShape) {
            lhs = contiguousData()
            rhs = other.contiguousData()
            rhsPeriod = other.count
        } else {
            lhs = withNoGrad { expanded(to: outShape).contiguousData() }
            rhs = withNoGrad { other.expanded(to: outShape).contiguousData() }
        }
        Tensor.binaryKernel(kind, lhs.data, rhs.data, rhsPeriod: rhsPeriod, out.data, count: n)
        let a = self
        let b = other
        let aShape = shape
        let bShape = other.shape
        return out.recorded(kind.rawValue, [self, other]) { g in
            switch kind {
            case .add:
                return [a.requiresGrad ? g.summed(to: aShape) : nil, b.requiresGrad ? g.summed(to: bShape) : nil]
            case .sub:
                return [a.requiresGrad ? g.summed(to: aShape) : nil, b.requiresGrad ? (-g).summed(to: bShape) : nil]
            case .mul:
                return [
                    a.requiresGrad ? (g * b.detached()).summed(to: aShape) : nil,
                    b.requiresGrad ? (g * a.detached()).summed(to: bShape) : nil,
                ]
            case .div:
                let bd = b.detached()
                return [
                    a.requiresGrad ? (g / bd).summed(to: aShape) : nil,
                    b.requiresGrad ? (-(g * a.detached()) / (bd * bd)).summed(to: bShape) : nil,
                ]
            }
        }
    }

    /// Whether `small` (without leading 1s) equals the trailing dimensions of `full`, so that
    /// its contiguous data repeats with period `small.count` over `full`'s contiguous data.
    static func isTrailingRepeat(_ small: [Int], of full: [Int]) -> Bool {
        let trimmed = Array(small.drop { $0 == 1 })
        guard trimmed.count <= full.count else { return false }
        return Array(full.suffix(trimmed.count)) == trimmed
    }

    static func binaryKernel(
        _ kind: BinaryKind, _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, rhsPeriod: Int,
        _ out: UnsafeMutablePointer<Float>, count n: Int
    ) {
        let pa = Parallel.Pointer(a)
        let pb = Parallel.Pointer(b)
        let po = Parallel.Pointer(out)
        if rhsPeriod == n || rhsPeriod == 1 {
            let step = rhsPeriod == 1 ? 0 : 1
            Parallel.forRanges(n, grain: 65_536) { range in
                let a = pa.base
                let b = pb.base
                let o = po.base
                switch kind {
                case .add: for i in range { o[i] = a[i] + b[i * step] }
                case .sub: for i in range { o[i] = a[i] - b[i * step] }
                case .mul: for i in range { o[i] = a[i] * b[i * step] }
                case .div: for i in range { o[i] = a[i] / b[i * step] }
                }
            }
            return
        }
        let period = rhsPeriod
        let rows = n / period
        Parallel.forRanges(rows, grain: Swift.max(1, 65_536 / period)) { range in
            let b = pb.base
            for row in range {
                let a = pa + row * period
                let o = po + row * period
                switch kind {
                case .add: for i in 0..<period { o[i] = a[i] + b[i] }
                case .sub: for i in 0..<period { o[i] = a[i] - b[i] }
                case .mul: for i in 0..<period { o[i] = a[i] * b[i] }
                case .div: for i in 0..<period { o[i] = a[i] / b[i] }
                }
            }
        }
    }

    /// `self * factor` (PyTorch `mul` by a Python float).
    public func scaled(by factor: Float) -> Tensor {
        let x = contiguousData()
        let out = Tensor.empty(shape)
        let px = Parallel.Pointer(x.data)
        let po = Parallel.Pointer(out.data)
        Parallel.forRanges(count, grain: 65_536) { range in
            for i in range { po[i] = px[i] * factor }
        }
        return out.recorded("scale", [self]) { g in [g.scaled(by: factor)] }
    }

    /// `self + value` elementwise.
    public func adding(_ value: Float) -> Tensor {
        let x = contiguousData()
        let out = Tensor.empty(shape)
        let px = Parallel.Pointer(x.data)
        let po = Parallel.Pointer(out.data)
        Parallel.forRanges(count, grain: 65_536) { range in
            for i in range { po[i] = px[i] + value }
        }
        return out.recorded("addScalar", [self]) { g in [g] }
    }

    /// `self += other * factor`, in place (same shape; `self` must be contiguous and own its
    /// storage). For gradient accumulation and optimizer updates; not recorded.
    public func addInPlace(_ other: Tensor, scaledBy factor: Float = 1) {
        precondition(other.shape == shape, "addInPlace: shape \(other.shape) into \(shape)")
        precondition(isContiguous, "addInPlace needs a contiguous destination")
        let src = other.contiguousData()
        let pd = Parallel.Pointer(data)
        let ps = Parallel.Pointer(src.data)
        Parallel.forRanges(count, grain: 65_536) { range in
            if factor == 1 {
                for i in range { pd[i] += ps[i] }
            } else {
                for i in range { pd[i] += factor * ps[i] }
            }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { a.binary(.add, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.binary(.sub, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.binary(.mul, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.binary(.div, b) }
    public static func * (a: Tensor, b: Float) -> Tensor { a.scaled(by: b) }
    public static func * (a: Float, b: Tensor) -> Tensor { b.scaled(by: a) }
    public static func / (a: Tensor, b: Float) -> Tensor { a.scaled(by: 1 / b) }
    public static func + (a: Tensor, b: Float) -> Tensor { a.adding(b) }
    public static func - (a: Tensor, b: Float) -> Tensor { a.adding(-b) }
    public static prefix func - (a: Tensor) -> Tensor { a.scaled(by: -1) }
}
