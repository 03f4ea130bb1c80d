import Testing

@testable import Tensor

/// Finite-difference gradient check (tinygrad / PyTorch `gradcheck` style, adapted to fp32).
///
/// The scalar checked is L = Σ f(x) ⊙ r with a fixed random r, so every output element matters
/// and errors cannot cancel. Autograd's dL/dx comes from `f(x).backward(r)`; the numerical one
/// from central differences (L(x + ε) − L(x − ε)) / 2ε, with L summed in Double. In fp32 the
/// difference quotient carries ~1e-4 of noise, hence the tolerance |a − n| ≤ atol + rtol·|n|.
func expectGradientsMatch(
    _ inputs: [Tensor],
    epsilon: Float = 1e-2,
    absoluteTolerance: Float = 2e-3,
    relativeTolerance: Float = 2e-2,
    seed: UInt64 = 7,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ function: ([Tensor]) -> Tensor
) {
    for input in inputs {
        input.requiresGrad = true
        input.zeroGrad()
    }
    let output = function(inputs)
    var generator = SeededGenerator(seed: seed)
    let weights = Tensor.randomUniform(output.shape, in: -1...1, generator: &generator)
    output.backward(weights)
    let weightValues = weights.toArray().map(Double.init)

    func objective() -> Double {
        withNoGrad {
            let values = function(inputs).toArray()
            return zip(values, weightValues).reduce(0) { $0 + Double($1.0) * $1.1 }
        }
    }

    for (inputIndex, input) in inputs.enumerated() {
        precondition(
            input.isContiguous, "gradient check perturbs inputs in place; input \(inputIndex) must be contiguous")
        guard let grad = input.grad?.toArray() else {
            Issue.record("input \(inputIndex) received no gradient", sourceLocation: sourceLocation)
            continue
        }
        var worst: (index: Int, analytic: Float, numeric: Float)?
        for index in 0..<input.count {
            let original = input.data[index]
            input.data[index] = original + epsilon
            let plus = objective()
            input.data[index] = original - epsilon
            let minus = objective()
            input.data[index] = original
            let numeric = Float((plus - minus) / Double(2 * epsilon))
            let analytic = grad[index]
            if abs(analytic - numeric) > absoluteTolerance + relativeTolerance * abs(numeric) {
                if worst == nil || abs(analytic - numeric) > abs(worst!.analytic - worst!.numeric) {
                    worst = (index, analytic, numeric)
                }
            }
        }
        if let worst {
            let location = "input \(inputIndex) \(input.shape), element \(worst.index)"
            Issue.record(
                "\(location): autograd says \(worst.analytic), finite difference says \(worst.numeric)",
                sourceLocation: sourceLocation)
        }
    }
}

/// A reproducible random tensor for tests.
func randomTensor(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.randomUniform(shape, in: range, generator: &generator)
}

/// Element-wise closeness with a helpful failure message.
func expectClose(
    _ actual: [Float], _ expected: [Float], absolute: Float = 1e-5, relative: Float = 1e-4,
    _ what: String = "values", sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    for (index, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= absolute + relative * abs(e)) {
        Issue.record("\(what): element \(index) is \(a), expected \(e)", sourceLocation: sourceLocation)
        return
    }
}
