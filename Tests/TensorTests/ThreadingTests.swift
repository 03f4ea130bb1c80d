import Testing

@testable import Tensor

@Suite("Threading")
struct ThreadingTests {
    /// A transformer-shaped chain, large enough that every kernel splits its work across threads.
    /// x: (2, 128, 64) → LayerNorm → q/k/v → causal attention (4 heads) → GELU MLP → logits (256).
    private func lossAndGradients(threads: Int) -> (loss: Float, grads: [[Float]]) {
        ThreadBudget(threads: threads).run { lossAndGradients() }
    }

    private func lossAndGradients() -> (loss: Float, grads: [[Float]]) {
        var generator = SeededGenerator(seed: 21)
        func parameter(_ shape: [Int], _ std: Float) -> Tensor {
            Tensor.randomNormal(shape, standardDeviation: std, generator: &generator, requiresGrad: true)
        }
        let embedding = parameter([256, 64], 0.5)
        let norm = parameter([64], 1)
        let bias = parameter([64], 0.1)
        let wq = parameter([64, 64], 0.1)
        let wk = parameter([64, 64], 0.1)
        let wv = parameter([64, 64], 0.1)
        let up = parameter([512, 64], 0.1)
        let down = parameter([64, 512], 0.05)
        let ids = (0..<256).map { Int32(($0 * 37) % 256) }
        let targets = (0..<256).map { $0 % 7 == 0 ? Int32(-100) : Int32(($0 * 11) % 256) }
        let x = Tensor.embedding(embedding, ids: ids, shape: [2, 128])
        let h = x.layerNorm(weight: norm, bias: bias)
        let q = h.linear(wq).reshaped([2, 128, 4, 16]).rotaryEmbedding(positions: Array(0..<128))
        let k = h.linear(wk).reshaped([2, 128, 4, 16]).rotaryEmbedding(positions: Array(0..<128))
        let v = h.linear(wv).reshaped([2, 128, 4, 16])
        let attended =
            x + Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true).reshaped([2, 128, 64])
        let mixed =
            attended + attended.rmsNorm(weight: norm).linear(up).gelu().linear(down).dropout(probability: 0.1, seed: 3)
        let logits = mixed.linear(embedding).reshaped([256, 256])
        let loss = Tensor.crossEntropy(logits: logits, targets: targets) + logits.softmax().max(axis: 1).mean()
        loss.backward()
        let parameters = [embedding, norm, bias, wq, wk, wv, up, down]
        return (loss.item(), parameters.map { $0.grad!.toArray() })
    }

    @Test("results do not depend on the thread count")
    func threadCountInvariance() {
        let single = lossAndGradients(threads: 1)
        let several = lossAndGradients(threads: 4)
        #expect(abs(single.loss - several.loss) <= 1e-5 * abs(single.loss))
        for (index, (a, b)) in zip(single.grads, several.grads).enumerated() {
            let scale = a.map(abs).max() ?? 1
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5 * scale, "gradient of parameter \(index) differs by \(worst) (scale \(scale))")
        }
    }
}
