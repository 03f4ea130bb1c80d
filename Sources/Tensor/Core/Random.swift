import Foundation

/// SplitMix64 (Steele, Lea & Flood): a tiny, fast, seedable generator, so that initialisation
/// and dropout are reproducible run to run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededGenerator.mix(state)
    }

    /// The SplitMix64 finaliser: a good 64-bit hash, used directly as a counter-based generator.
    @inline(__always) public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Tensor {
    /// Normal(0, std²) samples (Box–Muller), e.g. GPT-2's `normal_(0, 0.02)` initialisation.
    public static func randomNormal<G: RandomNumberGenerator>(
        _ shape: [Int], standardDeviation: Float = 1, generator: inout G, requiresGrad: Bool = false
    ) -> Tensor {
        let t = Tensor.empty(shape)
        var index = 0
        while index < t.count {
            // Uniforms from the top 53 bits; u1 is kept away from 0 for the logarithm.
            let u1 = (Double(generator.next() >> 11) + 0.5) * 0x1p-53
            let u2 = Double(generator.next() >> 11) * 0x1p-53
            let radius = (-2 * Foundation.log(u1)).squareRoot()
            t.data[index] = Float(radius * Foundation.cos(2 * .pi * u2)) * standardDeviation
            if index + 1 < t.count {
                t.data[index + 1] = Float(radius * Foundation.sin(2 * .pi * u2)) * standardDeviation
            }
            index += 2
        }
        t.requiresGrad = requiresGrad
        return t
    }

    /// Uniform samples in `range`.
    public static func randomUniform<G: RandomNumberGenerator>(
        _ shape: [Int], in range: ClosedRange<Float> = -1...1, generator: inout G, requiresGrad: Bool = false
    ) -> Tensor {
        let t = Tensor.empty(shape)
        for index in 0..<t.count { t.data[index] = Float.random(in: range, using: &generator) }
        t.requiresGrad = requiresGrad
        return t
    }
}
