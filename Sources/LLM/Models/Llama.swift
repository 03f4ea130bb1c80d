import Tensor

/// The Llama-family decoder — Llama 2/3 (llama3 rope scaling), SmolLM2, Mistral-style files and
/// Qwen2/Qwen2.5 (q/k/v biases, untied or tied output) — matching `transformers`'
/// `LlamaForCausalLM` / `Qwen2ForCausalLM` in fp32:
///
///   x = embed(ids)                                  x: (N, D)
///   per layer:  h = RMSNorm(x)
///               q, k, v = h·Wqᵀ(+bq), h·Wkᵀ(+bk), h·Wvᵀ(+bv)   (N, Hq·Dh), (N, Hkv·Dh)
///               q, k = RoPE(q, k, position)         rotate-half pairs (i, i + Dh/2)
///               x += softmax(q·Kᵀ/√Dh, causal) V · Woᵀ        query head h reads kv head h/(Hq/Hkv)
///               x += (silu(h·Wgᵀ) ⊙ h·Wuᵀ)·Wdᵀ   with h = RMSNorm(x)
///   logits = RMSNorm(x) · Woutᵀ                     (N, V)
///
/// Qwen2 differs only in its biases (present in its files) and in its GGUF q/k rows not being
/// permuted, both handled at load. This is the fast no-grad path with a ``KVCache``: the N rows
/// of one call may belong to several sequences (ragged prefill, batched decode), each at its own
/// position; ``forwardGraph(ids:batch:length:)`` is the same model on autograd tensors.
public final class LlamaModel: @unchecked Sendable {
    public let config: TransformerConfig
    public let weights: TransformerWeights
    let inverseFrequencies: [Float]

    public init(config: TransformerConfig, weights: TransformerWeights) {
        self.config = config
        self.weights = weights
        inverseFrequencies = InferenceKernels.inverseFrequencies(config)
    }

    /// A cache for `sequences` sequences of up to `capacity` positions each.
    public func makeCache(sequences: Int = 1, capacity: Int) -> KVCache {
        KVCache(config: config, sequences: sequences, capacity: min(capacity, config.maxPositions))
    }

    /// New tokens for one sequence slot of the cache.
    public struct Input: Sendable {
        public var slot: Int
        public var tokens: [Int]
        public init(slot: Int, tokens: [Int]) {
            self.slot = slot
            self.tokens = tokens
        }
    }

    /// Runs `inputs` (each appended to its slot's cached prefix) and returns logits: one row per
    /// input (its last token), or one per token with `allPositions`. Rows are `vocabularySize` long.
    public func forward(_ inputs: [Input], cache: KVCache, allPositions: Bool = false) -> [[Float]] {
        let (d, hq, hkv, dh) = (config.hiddenSize, config.headCount, config.kvHeadCount, config.headDim)
        let (qd, kvd, ff) = (hq * dh, hkv * dh, config.intermediateSize)
        var slots: [Int] = [], positions: [Int] = [], ids: [Int] = []
        for input in inputs {
            precondition(input.slot >= 0 && input.slot < cache.sequenceCount, "slot \(input.slot) is not in the cache")
            let start = cache.lengths[input.slot]
            precondition(
                start + input.tokens.count <= cache.capacity,
                "sequence \(input.slot) would hold \(start + input.tokens.count) positions; the cache has \(cache.capacity)")
            for (t, id) in input.tokens.enumerated() {
                precondition(id >= 0 && id < config.vocabularySize, "token id \(id) is outside the vocabulary")
                slots.append(input.slot)
                positions.append(start + t)
                ids.append(id)
            }
        }
        let n = ids.count
        guard n > 0 else { return [] }
        let x = Scratch(n * d), h = Scratch(n * d), q = Scratch(n * qd), k = Scratch(n * kvd), v = Scratch(n * kvd)
        let attention = Scratch(n * qd), gate = Scratch(n * ff), up = Scratch(n * ff)
        for r in 0..<n { weights.embedding.row(ids[r], into: x.pointer + r * d) }
        let rotary = InferenceKernels.rotaryTable(positions: positions, inverseFrequencies: inverseFrequencies)
        let scale = 1 / Float(dh).squareRoot()

        for (l, layer) in weights.layers.enumerated() {
            InferenceKernels.rmsNorm(
                x.pointer, weight: layer.attentionNorm, epsilon: config.rmsNormEpsilon, rows: n, width: d,
                into: h.pointer)
            WeightMatrix.apply(
                [layer.query, layer.key, layer.value], h.pointer, count: n, into: [q.pointer, k.pointer, v.pointer])
            InferenceKernels.addBias(q.pointer, layer.queryBias, rows: n)
            InferenceKernels.addBias(k.pointer, layer.keyBias, rows: n)
            InferenceKernels.addBias(v.pointer, layer.valueBias, rows: n)
            InferenceKernels.applyRotary(q.pointer, rows: n, heads: hq, headDim: dh, cos: rotary.cos, sin: rotary.sin)
            InferenceKernels.applyRotary(k.pointer, rows: n, heads: hkv, headDim: dh, cos: rotary.cos, sin: rotary.sin)
            for r in 0..<n {
                (cache.keyBase(layer: l, slot: slots[r]) + positions[r] * kvd).update(
                    from: k.pointer + r * kvd, count: kvd)
                (cache.valueBase(layer: l, slot: slots[r]) + positions[r] * kvd).update(
                    from: v.pointer + r * kvd, count: kvd)
            }
            // Row r sees its slot's positions 0...positions[r]: causal, also within a ragged batch.
            let group = hq / hkv
            let pq = Parallel.Pointer(q.pointer), po = Parallel.Pointer(attention.pointer)
            Parallel.forEach(n * hq) { item in
                let r = item / hq, head = item % hq, kvHead = head / group
                let length = positions[r] + 1
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: length)
                defer { scores.deallocate() }
                InferenceKernels.attend(
                    query: pq + (r * qd + head * dh),
                    keys: cache.keyBase(layer: l, slot: slots[r]) + kvHead * dh,
                    values: cache.valueBase(layer: l, slot: slots[r]) + kvHead * dh, length: length, rowWidth: kvd,
                    headDim: dh, scale: scale, scratch: scores, into: po + (r * qd + head * dh))
            }
            layer.output.apply(attention.pointer, count: n, into: h.pointer)
            InferenceKernels.add(x.pointer, h.pointer, count: n * d)

            InferenceKernels.rmsNorm(
                x.pointer, weight: layer.mlpNorm, epsilon: config.rmsNormEpsilon, rows: n, width: d, into: h.pointer)
            WeightMatrix.apply([layer.gate, layer.up], h.pointer, count: n, into: [gate.pointer, up.pointer])
            InferenceKernels.swiGLU(gate.pointer, up.pointer, count: n * ff)
            layer.down.apply(gate.pointer, count: n, into: h.pointer)
            InferenceKernels.add(x.pointer, h.pointer, count: n * d)
        }
        for (slot, count) in zip(inputs.map(\.slot), inputs.map(\.tokens.count)) { cache.lengths[slot] += count }

        // Only the rows whose logits are wanted go through the (vocabulary-sized) output projection.
        var selected: [Int] = []
        if allPositions {
            selected = Array(0..<n)
        } else {
            var end = 0
            for input in inputs {
                end += input.tokens.count
                if !input.tokens.isEmpty { selected.append(end - 1) }
            }
        }
        let m = selected.count, vocabulary = config.vocabularySize
        for (i, r) in selected.enumerated() { (h.pointer + i * d).update(from: x.pointer + r * d, count: d) }
        InferenceKernels.rmsNorm(
            h.pointer, weight: weights.finalNorm, epsilon: config.rmsNormEpsilon, rows: m, width: d, into: x.pointer)
        let logits = Scratch(m * vocabulary)
        weights.outputProjection.apply(x.pointer, count: m, into: logits.pointer)
        let rows = (0..<m).map { Array(UnsafeBufferPointer(start: logits.pointer + $0 * vocabulary, count: vocabulary)) }
        // Raw pointers into these buffers were used above; keep the owners alive until here.
        withExtendedLifetime((x, h, q, k, v, attention, gate, up, logits)) {}
        return rows
    }
}

/// A temporary fp32 buffer freed when it goes out of scope.
final class Scratch {
    let pointer: UnsafeMutablePointer<Float>
    init(_ count: Int) { pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1)) }
    deinit { pointer.deallocate() }
}
