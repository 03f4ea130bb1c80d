import Foundation

/// Learning rate by step: linear warm-up from 0 to `peak`, then cosine or linear decay to
/// `minimum` at `totalSteps` (Hugging Face `get_cosine_schedule_with_warmup` /
/// `get_linear_schedule_with_warmup`, with a floor), or constant.
public struct LearningRateSchedule: Sendable, Equatable {
    public enum Decay: String, Sendable { case cosine, linear, constant }

    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var decay: Decay
    public var minimum: Float

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, decay: Decay = .cosine, minimum: Float = 0) {
        precondition(
            warmupSteps >= 0 && totalSteps >= warmupSteps,
            "schedule needs 0 ≤ warmupSteps (\(warmupSteps)) ≤ totalSteps (\(totalSteps))")
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.decay = decay
        self.minimum = minimum
    }

    /// The rate for the update numbered `step` (0-based): step 0 of a warm-up is peak/warmup.
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let decaySteps = totalSteps - warmupSteps
        guard decaySteps > 0, decay != .constant else { return peak }
        let progress = min(1, Double(step - warmupSteps) / Double(decaySteps))
        let factor: Double
        switch decay {
        case .cosine: factor = 0.5 * (1 + cos(.pi * progress))
        case .linear: factor = 1 - progress
        case .constant: factor = 1
        }
        return minimum + (peak - minimum) * Float(factor)
    }
}

/// Scales all gradients so that their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`, with its 1e-6 guard), and returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total: Double = 0
    for parameter in parameters {
        guard let grad = parameter.grad else { continue }
        let g = grad.contiguousData()
        var partial = [Double](repeating: 0, count: Parallel.threadCount)
        let pg = Parallel.Pointer(g.data)
        let n = g.count
        let chunks = partial.count
        partial.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeMutableSendablePointer(buffer.baseAddress!)
            Parallel.forRanges(chunks) { range in
                for chunk in range {
                    var sum: Double = 0
                    for i in (n * chunk / chunks)..<(n * (chunk + 1) / chunks) { sum += Double(pg[i]) * Double(pg[i]) }
                    out.base[chunk] = sum
                }
            }
        }
        total += partial.reduce(0, +)
    }
    let norm = Float(total.squareRoot())
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 {
        for parameter in parameters { parameter.grad?.scaleInPlace(factor) }
    }
    return norm
}
