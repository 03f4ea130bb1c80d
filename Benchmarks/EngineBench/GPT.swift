import Tensor

/// The benchmark model: GPT-2 in miniature (nanoGPT's `model.py`), the same network as
/// `bench/engine_train.py` builds in PyTorch — learned position embeddings, pre-LayerNorm blocks
/// with biases, causal multi-head attention, a 4× GELU (tanh) MLP, and an lm_head tied to the
/// token embedding. Query/key/value are three projections in both implementations.
struct GPTConfig {
    var vocabulary = 4096
    var context = 128
    var layers = 4
    var heads = 4
    var dimension = 256
}

final class GPT {
    struct Block {
        let ln1Weight, ln1Bias, qWeight, qBias, kWeight, kBias, vWeight, vBias, oWeight, oBias: Tensor
        let ln2Weight, ln2Bias, fcWeight, fcBias, projWeight, projBias: Tensor
        var parameters: [Tensor] {
            [
                ln1Weight, ln1Bias, qWeight, qBias, kWeight, kBias, vWeight, vBias, oWeight, oBias,
                ln2Weight, ln2Bias, fcWeight, fcBias, projWeight, projBias,
            ]
        }
    }

    let config: GPTConfig
    let tokenEmbedding: Tensor
    let positionEmbedding: Tensor
    let blocks: [Block]
    let finalNormWeight: Tensor, finalNormBias: Tensor

    /// GPT-2 initialisation: N(0, 0.02), residual projections N(0, 0.02/√(2L)), zero biases.
    init(config: GPTConfig, seed: UInt64) {
        self.config = config
        var generator = SeededGenerator(seed: seed)
        let d = config.dimension
        func normal(_ shape: [Int], _ std: Float = 0.02) -> Tensor {
            Tensor.randomNormal(shape, standardDeviation: std, generator: &generator, requiresGrad: true)
        }
        func zeros(_ shape: [Int]) -> Tensor { Tensor.zeros(shape, requiresGrad: true) }
        func ones(_ shape: [Int]) -> Tensor { Tensor.ones(shape, requiresGrad: true) }
        let residualStd = 0.02 / Float(2 * config.layers).squareRoot()
        tokenEmbedding = normal([config.vocabulary, d])
        positionEmbedding = normal([config.context, d])
        var blocks: [Block] = []
        for _ in 0..<config.layers {
            blocks.append(
                Block(
                    ln1Weight: ones([d]), ln1Bias: zeros([d]),
                    qWeight: normal([d, d]), qBias: zeros([d]), kWeight: normal([d, d]), kBias: zeros([d]),
                    vWeight: normal([d, d]), vBias: zeros([d]), oWeight: normal([d, d], residualStd), oBias: zeros([d]),
                    ln2Weight: ones([d]), ln2Bias: zeros([d]),
                    fcWeight: normal([4 * d, d]), fcBias: zeros([4 * d]),
                    projWeight: normal([d, 4 * d], residualStd), projBias: zeros([d])))
        }
        self.blocks = blocks
        finalNormWeight = ones([d])
        finalNormBias = zeros([d])
    }

    var parameters: [Tensor] {
        [tokenEmbedding, positionEmbedding] + blocks.flatMap(\.parameters) + [finalNormWeight, finalNormBias]
    }

    /// Parameters that take part in matrix products (embedding counted once, as the tied lm_head).
    var matmulParameterCount: Int {
        let d = config.dimension
        return config.layers * 12 * d * d + config.vocabulary * d
    }

    /// Mean next-token cross-entropy. ids, targets: (B, T) flattened.
    func loss(ids: [Int32], targets: [Int32], batch: Int) -> Tensor {
        let (t, d, h) = (ids.count / batch, config.dimension, config.heads)
        var x =
            Tensor.embedding(tokenEmbedding, ids: ids, shape: [batch, t])
            + Tensor.embedding(positionEmbedding, ids: (0..<t).map(Int32.init), shape: [t])
        for block in blocks {
            let a = x.layerNorm(weight: block.ln1Weight, bias: block.ln1Bias)
            let q = a.linear(block.qWeight, bias: block.qBias).reshaped([batch, t, h, d / h])
            let k = a.linear(block.kWeight, bias: block.kBias).reshaped([batch, t, h, d / h])
            let v = a.linear(block.vWeight, bias: block.vBias).reshaped([batch, t, h, d / h])
            let attention = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
            x = x + attention.reshaped([batch, t, d]).linear(block.oWeight, bias: block.oBias)
            let m = x.layerNorm(weight: block.ln2Weight, bias: block.ln2Bias)
            x =
                x
                + m.linear(block.fcWeight, bias: block.fcBias).gelu(approximate: true)
                .linear(block.projWeight, bias: block.projBias)
        }
        let logits = x.layerNorm(weight: finalNormWeight, bias: finalNormBias).linear(tokenEmbedding)
        return Tensor.crossEntropy(logits: logits.reshaped([batch * t, config.vocabulary]), targets: targets)
    }
}
