/// Inverted dropout (PyTorch `F.dropout` in training mode): each element is zeroed with
/// probability p and the survivors scaled by 1/(1 − p).
///   x: any shape → same shape
/// The keep/drop decision for element i is a hash of (seed, i) — a counter-based generator — so
/// the mask is never stored: backward regenerates it from the seed, and the result does not
/// depend on the thread count.
extension Tensor {
    public func dropout(probability p: Float, seed: UInt64) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
        if p == 0 { return self }
        let x = contiguousData()
        let out = Tensor.dropoutMask(x, probability: p, seed: seed)
        return out.recorded("dropout", [self]) { g in
            [Tensor.dropoutMask(g.contiguousData(), probability: p, seed: seed)]
        }
    }

    /// Draws the seed from `generator`; the usual call inside a training loop.
    public func dropout<G: RandomNumberGenerator>(probability p: Float, generator: inout G) -> Tensor {
        dropout(probability: p, seed: generator.next())
    }

    private static func dropoutMask(_ x: Tensor, probability p: Float, seed: UInt64) -> Tensor {
        let out = Tensor.empty(x.shape)
        // Keep when the top 24 bits of the hash, as a uniform in [0, 1), are ≥ p.
        let threshold = UInt64((Double(p) * 16_777_216).rounded(.up))
        let keepScale = 1 / (1 - p)
        let salt = SeededGenerator.mix(seed)
        let px = Parallel.Pointer(x.data)
        let po = Parallel.Pointer(out.data)
        Parallel.forRanges(x.count, grain: 16_384) { range in
            for i in range {
                let bits = SeededGenerator.mix(salt &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15) >> 40
                po[i] = bits >= threshold ? px[i] * keepScale : 0
            }
        }
        return out
    }
}
