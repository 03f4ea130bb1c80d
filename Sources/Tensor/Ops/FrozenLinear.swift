/// A weight that autograd multiplies with but never trains, held in whatever form its owner
/// chooses — the LLM layer keeps a GGUF's quantized blocks — so that LoRA over a quantized base
/// needs no fp32 copy of it. Only the two products a frozen linear layer needs:
///
///   forward   y  (n × rows)    = x  (n × columns) · Wᵀ
///   backward  dx (n × columns) = dy (n × rows)    · W      (no dW: the weight is frozen)
///
/// Both keep fp32 activations and overwrite their output. Conformers must be safe to call from
/// one thread at a time (they may use every core inside).
public protocol FrozenMatrix: Sendable {
    /// Output features (PyTorch's `out_features`).
    var rows: Int { get }
    /// Input features.
    var columns: Int { get }
    func multiply(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>)
    func multiplyTransposed(_ dy: UnsafePointer<Float>, count n: Int, into dx: UnsafeMutablePointer<Float>)
}

/// An fp32 tensor as a ``FrozenMatrix``: the reference the quantized forms are tested against.
public struct DenseFrozenMatrix: FrozenMatrix {
    public let weight: Tensor
    public var rows: Int { weight.shape[0] }
    public var columns: Int { weight.shape[1] }

    public init(_ weight: Tensor) {
        precondition(weight.rank == 2, "a frozen matrix is (out, in), got \(weight.shape)")
        self.weight = weight.contiguousData()
    }

    public func multiply(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        BLAS.gemm(
            transA: false, transB: true, m: n, n: rows, k: columns, a: x, lda: columns, b: weight.data,
            ldb: columns, c: y, ldc: rows)
    }

    public func multiplyTransposed(_ dy: UnsafePointer<Float>, count n: Int, into dx: UnsafeMutablePointer<Float>) {
        BLAS.gemm(
            transA: false, transB: false, m: n, n: columns, k: rows, a: dy, lda: rows, b: weight.data,
            ldb: columns, c: dx, ldc: columns)
    }
}

extension Tensor {
    /// `self · Wᵀ (+ bias)` for a frozen `weight` (PyTorch's `F.linear` with a weight that does not
    /// require grad): self (…, in) → (…, out). Backward gives the input gradient through
    /// ``FrozenMatrix/multiplyTransposed(_:count:into:)`` and the bias gradient when it is wanted.
    public func linear(frozen weight: any FrozenMatrix, bias: Tensor? = nil) -> Tensor {
        precondition(
            shape.last == weight.columns,
            "linear: input \(shape) does not end in the weight's \(weight.columns) input features")
        let n = count / Swift.max(weight.columns, 1)
        let x = contiguousData()
        let out = Tensor.empty(Array(shape.dropLast()) + [weight.rows])
        weight.multiply(x.data, count: n, into: out.data)
        if let bias {
            precondition(bias.shape == [weight.rows], "linear bias shape \(bias.shape) != [\(weight.rows)]")
            let b = bias.contiguousData()
            let po = Parallel.Pointer(out.data), pb = Parallel.Pointer(b.data)
            let width = weight.rows
            Parallel.forRanges(n, grain: Swift.max(1, 65_536 / Swift.max(width, 1))) { range in
                for row in range {
                    let line = po + row * width
                    for j in 0..<width { line[j] += pb[j] }
                }
            }
        }
        let inputShape = shape
        let inputs = bias.map { [self, $0] } ?? [self]
        return out.recorded("linearFrozen", inputs) { [requiresGrad] g in
            var dx: Tensor?
            if requiresGrad {
                let dy = g.contiguousData()
                let grad = Tensor.empty(inputShape)
                weight.multiplyTransposed(dy.data, count: n, into: grad.data)
                dx = grad
            }
            guard let bias else { return [dx] }
            return [dx, bias.requiresGrad ? g.summed(to: [weight.rows]) : nil]
        }
    }
}
