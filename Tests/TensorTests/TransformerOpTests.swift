import Foundation
import Testing

@testable import Tensor

/// Attention written with the primitive ops, one (batch, head) at a time — the reference the
/// fused kernel must agree with. q: (B, T, Hq, Dh), k/v: (B, S, Hkv, Dh).
private func composedAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, causal: Bool, mask: Tensor?) -> Tensor {
    let (b, t, hq, dh) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    let (s, hkv) = (k.shape[1], k.shape[2])
    var causalMask = [Float](repeating: 0, count: t * s)
    for row in 0..<t {
        for col in 0..<s where causal && col > row + s - t { causalMask[row * s + col] = -Float.infinity }
    }
    var outputs: [Tensor] = []
    for batch in 0..<b {
        var heads: [Tensor] = []
        for head in 0..<hq {
            let kvHead = head / (hq / hkv)
            let qh = q.sliced(axis: 0, range: batch..<(batch + 1)).sliced(axis: 2, range: head..<(head + 1)).reshaped([
                t, dh,
            ])
            let kh = k.sliced(axis: 0, range: batch..<(batch + 1)).sliced(axis: 2, range: kvHead..<(kvHead + 1))
                .reshaped([s, dh])
            let vh = v.sliced(axis: 0, range: batch..<(batch + 1)).sliced(axis: 2, range: kvHead..<(kvHead + 1))
                .reshaped([s, dh])
            var scores = Tensor.matmul(qh, kh, transposeB: true).scaled(by: 1 / Float(dh).squareRoot())
            scores = scores + Tensor(causalMask, shape: [t, s])
            if let mask {
                scores =
                    scores
                    + (mask.rank == 3 ? mask.sliced(axis: 0, range: batch..<(batch + 1)).reshaped([t, s]) : mask)
            }
            heads.append(scores.softmax().matmul(vh).reshaped([t, 1, dh]))
        }
        outputs.append(Tensor.concatenate(heads, axis: 1).reshaped([1, t, hq, dh]))
    }
    return Tensor.concatenate(outputs, axis: 0)
}

@Suite("Transformer ops")
struct TransformerOpTests {
    @Test("RMSNorm and LayerNorm normalise rows and have correct gradients")
    func norms() {
        let x = randomTensor([3, 8], seed: 1, in: -2...2)
        let w = randomTensor([8], seed: 2, in: 0.5...1.5)
        let b = randomTensor([8], seed: 3)
        let ones = Tensor.ones([8])
        let normed = x.rmsNorm(weight: ones, epsilon: 0).toArray()
        let rms = (normed[0..<8].map { $0 * $0 }.reduce(0, +) / 8).squareRoot()
        #expect(abs(rms - 1) < 1e-5)
        let centred = x.layerNorm(weight: ones, bias: nil, epsilon: 0).toArray()
        #expect(abs(centred[8..<16].reduce(0, +)) < 1e-5)
        expectGradientsMatch([x, w]) { i in i[0].rmsNorm(weight: i[1], epsilon: 1e-5) }
        expectGradientsMatch([x, w, b]) { i in i[0].layerNorm(weight: i[1], bias: i[2], epsilon: 1e-5) }
    }

    @Test("embedding gathers rows and scatter-adds repeated ids")
    func embedding() {
        let table = randomTensor([5, 3], seed: 4)
        let ids: [Int32] = [4, 1, 4, 0]
        let out = Tensor.embedding(table, ids: ids, shape: [2, 2])
        #expect(out.shape == [2, 2, 3])
        #expect(Array(out.toArray()[0..<3]) == Array(table.toArray()[12..<15]))
        expectGradientsMatch([table]) { t in Tensor.embedding(t[0], ids: ids, shape: [2, 2]) }
        table.zeroGrad()
        Tensor.embedding(table, ids: ids, shape: [4]).sum().backward()
        #expect(table.grad?.toArray() == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2])
    }

    @Test("rotary embedding pairs the right dimensions in both layouts")
    func rotaryLayouts() {
        // One head, Dh = 4, position 1: angles θ0 = 1, θ1 = 10000^(-1/2) = 0.01.
        let x = Tensor([1, 2, 3, 4], shape: [1, 1, 4])
        let (c0, s0, c1, s1) = (cos(Float(1)), sin(Float(1)), cos(Float(0.01)), sin(Float(0.01)))
        let half = x.rotaryEmbedding(positions: [1], layout: .rotateHalf).toArray()
        expectClose(half, [1 * c0 - 3 * s0, 2 * c1 - 4 * s1, 3 * c0 + 1 * s0, 4 * c1 + 2 * s1], absolute: 1e-6)
        let pairs = x.rotaryEmbedding(positions: [1], layout: .interleaved).toArray()
        expectClose(pairs, [1 * c0 - 2 * s0, 2 * c0 + 1 * s0, 3 * c1 - 4 * s1, 4 * c1 + 3 * s1], absolute: 1e-6)
        // Position 0 is the identity.
        #expect(x.rotaryEmbedding(positions: [0]).toArray() == [1, 2, 3, 4])
    }

    @Test("rotary embedding has correct gradients in both layouts", arguments: [RotaryLayout.rotateHalf, .interleaved])
    func rotaryGradients(layout: RotaryLayout) {
        let x = randomTensor([2, 3, 2, 6], seed: 5)
        expectGradientsMatch([x]) { i in i[0].rotaryEmbedding(positions: [3, 4, 5], base: 100, layout: layout) }
    }

    @Test(
        "fused attention equals attention composed from primitive ops",
        arguments: [
            (causal: true, t: 4, s: 4, hq: 4, hkv: 2, mask: 0),
            (causal: true, t: 2, s: 5, hq: 2, hkv: 1, mask: 0),
            (causal: false, t: 3, s: 3, hq: 2, hkv: 2, mask: 2),
            (causal: true, t: 3, s: 3, hq: 3, hkv: 1, mask: 3),
        ])
    func attentionMatchesComposition(causal: Bool, t: Int, s: Int, hq: Int, hkv: Int, mask maskRank: Int) {
        let (b, dh) = (2, 4)
        let q = randomTensor([b, t, hq, dh], seed: 6, in: -2...2)
        let k = randomTensor([b, s, hkv, dh], seed: 7, in: -2...2)
        let v = randomTensor([b, s, hkv, dh], seed: 8)
        var mask: Tensor?
        if maskRank > 0 {
            // A padding mask that hides the first key from the first batch element.
            let shape = maskRank == 2 ? [t, s] : [b, t, s]
            mask = Tensor((0..<shape.reduce(1, *)).map { $0 % s == 0 && $0 < t * s ? -1e9 : 0 }, shape: shape)
        }
        let fused = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: causal, mask: mask)
        let composed = withNoGrad { composedAttention(q, k, v, causal: causal, mask: mask) }
        expectClose(fused.toArray(), composed.toArray(), absolute: 1e-5, "attention output")
        expectGradientsMatch([q, k, v]) { i in
            Tensor.scaledDotProductAttention(query: i[0], key: i[1], value: i[2], causal: causal, mask: mask)
        }
    }

    @Test("attention reads a fused QKV projection in place through strided views")
    func attentionOnStridedViews() {
        let (b, t, h, dh) = (2, 3, 2, 4)
        let qkv = randomTensor([b, t, 3 * h * dh], seed: 9)
        let parts = qkv.split(axis: 2, sizes: [h * dh, h * dh, h * dh]).map { $0.reshaped([b, t, h, dh]) }
        #expect(parts[1].storage === qkv.storage)
        let strided = Tensor.scaledDotProductAttention(query: parts[0], key: parts[1], value: parts[2], causal: true)
        let copies = parts.map { $0.contiguousCopy() }
        let dense = Tensor.scaledDotProductAttention(query: copies[0], key: copies[1], value: copies[2], causal: true)
        #expect(strided.toArray() == dense.toArray())
        expectGradientsMatch([qkv]) { i in
            let p = i[0].split(axis: 2, sizes: [h * dh, h * dh, h * dh]).map { $0.reshaped([b, t, h, dh]) }
            return Tensor.scaledDotProductAttention(query: p[0], key: p[1], value: p[2], causal: true)
        }
    }

    @Test("cross-entropy averages over kept targets and ignores -100")
    func crossEntropy() {
        let logits = randomTensor([4, 6], seed: 10, in: -3...3)
        let targets: [Int32] = [2, -100, 5, 0]
        let loss = Tensor.crossEntropy(logits: logits, targets: targets).item()
        let logProbs = logits.logSoftmax().toArray()
        let expected = -(logProbs[2] + logProbs[12 + 5] + logProbs[18 + 0]) / 3
        #expect(abs(loss - expected) < 1e-5)
        expectGradientsMatch([logits]) { i in Tensor.crossEntropy(logits: i[0], targets: targets) }
        let ignored = randomTensor([2, 6], seed: 11)
        ignored.requiresGrad = true
        let nothing = Tensor.crossEntropy(logits: ignored, targets: [-100, -100])
        nothing.backward()
        #expect(nothing.item() == 0)
        #expect(ignored.grad?.toArray().allSatisfy { $0 == 0 } == true)
    }

    @Test("the chunked head + cross-entropy equals logits then cross-entropy, in loss and gradients")
    func linearCrossEntropy() {
        let hidden = randomTensor([2, 5, 4], seed: 12)
        let weight = randomTensor([7, 4], seed: 13)
        let targets: [Int32] = [3, -100, 0, 6, -100, 1, 2, -100, 5, 4]
        let fused = Tensor.linearCrossEntropy(hidden: hidden, weight: weight, targets: targets, chunkRows: 3)
        let plain = Tensor.crossEntropy(logits: hidden.linear(weight).reshaped([10, 7]), targets: targets)
        #expect(abs(fused.item() - plain.item()) < 1e-5)
        expectGradientsMatch([hidden, weight]) { i in
            Tensor.linearCrossEntropy(hidden: i[0], weight: i[1], targets: targets, chunkRows: 3)
        }
        // A frozen (tied, base-model) head: gradients reach the hidden states, none is made for the weight.
        let frozen = randomTensor([7, 4], seed: 14)
        let states = randomTensor([10, 4], seed: 15)
        states.requiresGrad = true
        Tensor.linearCrossEntropy(hidden: states, weight: frozen, targets: targets, chunkRows: 4).backward()
        #expect(frozen.grad == nil)
        let ignoredRows = [1, 4, 7].flatMap { row in (0..<4).map { states.grad!.toArray()[row * 4 + $0] } }
        #expect(ignoredRows.allSatisfy { $0 == 0 })
    }
}
