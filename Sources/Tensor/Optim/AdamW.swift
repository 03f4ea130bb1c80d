/// AdamW (Loshchilov & Hutter), matching `torch.optim.AdamW` step for step:
///   θ ← θ − lr·λ·θ                      (decoupled weight decay, before the moment update)
///   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
///   θ ← θ − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
/// The update is one fused pass per parameter, split across cores. Moments are allocated on a
/// parameter's first gradient, so frozen parameters cost nothing.
public struct AdamW: Optimizer {
    public let parameters: [Tensor]
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// Updates taken so far (the t of the bias correction).
    public private(set) var stepCount = 0
    private var moments: [(m: Storage, v: Storage)?]

    public init(
        parameters: [Tensor], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01
    ) {
        self.parameters = parameters
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.moments = Array(repeating: nil, count: parameters.count)
    }

    /// The optimizer state a checkpoint must keep so that training resumes exactly: the step
    /// count and, per parameter (in `parameters` order), the first and second moments as
    /// contiguous tensors of the parameter's shape, or `nil` where no gradient has arrived yet.
    public struct State {
        public var stepCount: Int
        public var moments: [(m: Tensor, v: Tensor)?]

        public init(stepCount: Int, moments: [(m: Tensor, v: Tensor)?]) {
            self.stepCount = stepCount
            self.moments = moments
        }
    }

    /// A copy of the current state (for a checkpoint).
    public var state: State {
        State(
            stepCount: stepCount,
            moments: zip(parameters, moments).map { parameter, moment in
                moment.map { moment in
                    let m = Tensor(storage: moment.m, shape: parameter.shape).detached().contiguousCopy()
                    let v = Tensor(storage: moment.v, shape: parameter.shape).detached().contiguousCopy()
                    return (m, v)
                }
            })
    }

    /// Restores a state taken from an optimizer over parameters of the same shapes and order.
    public mutating func restore(_ state: State) {
        precondition(
            state.moments.count == parameters.count,
            "AdamW.restore: state has \(state.moments.count) parameters, optimizer has \(parameters.count)")
        stepCount = state.stepCount
        moments = zip(parameters, state.moments).enumerated().map { index, pair in
            let (parameter, moment) = pair
            guard let moment else { return nil }
            precondition(
                moment.m.shape == parameter.shape && moment.v.shape == parameter.shape,
                "AdamW.restore: moments of parameter \(index) have shape \(moment.m.shape), "
                    + "parameter is \(parameter.shape)"
            )
            let m = Storage(count: parameter.count)
            let v = Storage(count: parameter.count)
            m.pointer.update(from: moment.m.contiguousData().data, count: parameter.count)
            v.pointer.update(from: moment.v.contiguousData().data, count: parameter.count)
            return (m, v)
        }
    }

    public mutating func step(learningRate: Float) {
        stepCount += 1
        let correction1 = 1 - Float(Double(beta1).power(stepCount))
        let correction2 = 1 - Float(Double(beta2).power(stepCount))
        let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)
        let decay = 1 - learningRate * weightDecay
        let stepSize = learningRate / correction1
        let rootCorrection2 = correction2.squareRoot()
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            precondition(
                parameter.isContiguous, "AdamW updates parameters in place; parameter \(index) is a non-contiguous view"
            )
            let state =
                moments[index] ?? (
                    Storage(count: parameter.count, zeroed: true), Storage(count: parameter.count, zeroed: true)
                )
            moments[index] = state
            let g = grad.contiguousData()
            let pp = Parallel.Pointer(parameter.data)
            let pg = Parallel.Pointer(g.data)
            let pm = Parallel.Pointer(state.m.pointer)
            let pv = Parallel.Pointer(state.v.pointer)
            Parallel.forRanges(parameter.count, grain: 32_768) { range in
                for i in range {
                    let gi = pg[i]
                    let m = beta1 * pm[i] + (1 - beta1) * gi
                    let v = beta2 * pv[i] + (1 - beta2) * gi * gi
                    pm[i] = m
                    pv[i] = v
                    pp[i] = pp[i] * decay - stepSize * m / (v.squareRoot() / rootCorrection2 + epsilon)
                }
            }
        }
    }
}

extension Double {
    fileprivate func power(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= self }
        return result
    }
}
