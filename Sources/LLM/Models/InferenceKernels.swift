import Foundation
import Tensor

/// The element-wise pieces of the no-grad forward, on raw row-major buffers. Each matches the
/// `transformers` modeling code it replaces (`LlamaRMSNorm`, `apply_rotary_pos_emb` with
/// `rotate_half`, `ACT2FN["silu"]`, eager attention's softmax), all in fp32.
enum InferenceKernels {
    /// y[r] = x[r] · rsqrt(mean(x[r]²) + ε) ⊙ weight, for `rows` rows of `width`.
    static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: [Float], epsilon: Float, rows: Int, width: Int,
        into y: UnsafeMutablePointer<Float>
    ) {
        weight.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                let row = x + r * width, out = y + r * width
                var sum: Float = 0
                for i in 0..<width { sum += row[i] * row[i] }
                let scale = 1 / (sum / Float(width) + epsilon).squareRoot()
                for i in 0..<width { out[i] = w[i] * (row[i] * scale) }
            }
        }
    }

    /// The inverse frequencies of `transformers`' `_compute_default_rope_parameters`
    /// (1 / θ^(2i/d) in fp32), then the config's scaling (llama3, linear).
    static func inverseFrequencies(_ config: TransformerConfig) -> [Float] {
        let dim = config.headDim
        let base = (0..<(dim / 2)).map { i -> Float in
            Float(1 / Foundation.pow(Double(config.ropeTheta), Double(Float(2 * i) / Float(dim))))
        }
        return config.ropeScaling?.scaled(base) ?? base
    }

    /// cos/sin of position·f for each row's position: (rows, dim/2) each. The angle is an fp32
    /// product, as `transformers` computes `inv_freq @ position_ids` in fp32.
    static func rotaryTable(positions: [Int], inverseFrequencies: [Float]) -> (cos: [Float], sin: [Float]) {
        let half = inverseFrequencies.count
        var cosines = [Float](repeating: 0, count: positions.count * half)
        var sines = cosines
        for (r, position) in positions.enumerated() {
            for i in 0..<half {
                let angle = Double(Float(position) * inverseFrequencies[i])
                cosines[r * half + i] = Float(Foundation.cos(angle))
                sines[r * half + i] = Float(Foundation.sin(angle))
            }
        }
        return (cosines, sines)
    }

    /// Rotates every head of each row in place, pairing (i, i + dim/2) (`rotate_half`).
    static func applyRotary(
        _ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int, cos: [Float], sin: [Float]
    ) {
        let half = headDim / 2
        for r in 0..<rows {
            for h in 0..<heads {
                let v = x + (r * heads + h) * headDim
                for i in 0..<half {
                    let c = cos[r * half + i], s = sin[r * half + i]
                    let a = v[i], b = v[i + half]
                    v[i] = a * c - b * s
                    v[i + half] = b * c + a * s
                }
            }
        }
    }

    /// x[r] += bias for each row.
    static func addBias(_ x: UnsafeMutablePointer<Float>, _ bias: [Float]?, rows: Int) {
        guard let bias else { return }
        for r in 0..<rows {
            for i in bias.indices { x[r * bias.count + i] += bias[i] }
        }
    }

    /// gate ← silu(gate) ⊙ up, `count` elements (SwiGLU).
    static func swiGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + Foundation.exp(-g)) * up[i]
        }
    }

    /// x += y, `count` elements.
    static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// In-place softmax of `count` scores.
    static func softmax(_ scores: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count { maximum = max(maximum, scores[i]) }
        var total: Float = 0
        for i in 0..<count {
            let e = Foundation.exp(scores[i] - maximum)
            scores[i] = e
            total += e
        }
        let inverse = 1 / total
        for i in 0..<count { scores[i] *= inverse }
    }

    /// One query head of one row against `length` cached positions of its kv head:
    ///   scores (S) = K (S × Dh, ld = rowWidth) · q · scale,  out (Dh) = softmax(scores) · V
    static func attend(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, length: Int,
        rowWidth: Int, headDim: Int, scale: Float, scratch: UnsafeMutablePointer<Float>,
        into out: UnsafeMutablePointer<Float>
    ) {
        BLAS.gemm(
            transA: false, transB: true, m: length, n: 1, k: headDim, alpha: scale, a: keys, lda: rowWidth, b: query,
            ldb: headDim, c: scratch, ldc: 1)
        softmax(scratch, count: length)
        BLAS.gemm(
            transA: false, transB: false, m: 1, n: headDim, k: length, a: scratch, lda: length, b: values,
            ldb: rowWidth, c: out, ldc: headDim)
    }
}
