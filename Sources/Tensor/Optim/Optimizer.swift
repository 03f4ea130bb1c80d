/// What every optimizer does: update parameters from their accumulated `grad`, then let the
/// caller clear them. Parameters without a gradient (frozen, or unused this step) are skipped.
public protocol Optimizer {
    var parameters: [Tensor] { get }
    /// Applies one update with the given learning rate.
    mutating func step(learningRate: Float)
}

extension Optimizer {
    /// Clears every parameter's gradient (PyTorch `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }
}

/// Stochastic gradient descent with optional momentum and (coupled, L2) weight decay, as
/// `torch.optim.SGD`: g ← g + λθ; v ← μv + g; θ ← θ − lr·v.
public struct SGD: Optimizer {
    public let parameters: [Tensor]
    public var momentum: Float
    public var weightDecay: Float
    private var velocity: [Tensor?]

    public init(parameters: [Tensor], momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.velocity = Array(repeating: nil, count: parameters.count)
    }

    public mutating func step(learningRate: Float) {
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            if weightDecay != 0 { grad.addInPlace(parameter.detached(), scaledBy: weightDecay) }
            var update = grad
            if momentum != 0 {
                if let v = velocity[index] {
                    v.scaleInPlace(momentum)
                    v.addInPlace(grad)
                    update = v
                } else {
                    let v = grad.detached().contiguousCopy()
                    velocity[index] = v
                    update = v
                }
            }
            parameter.addInPlace(update, scaledBy: -learningRate)
        }
    }
}

extension Tensor {
    /// `self *= factor`, in place; not recorded.
    public func scaleInPlace(_ factor: Float) {
        precondition(isContiguous, "scaleInPlace needs a contiguous tensor")
        let p = Parallel.Pointer(data)
        Parallel.forRanges(count, grain: 65_536) { range in
            for i in range { p[i] *= factor }
        }
    }
}
