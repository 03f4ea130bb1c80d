import Foundation
import Tensor
import Testing

@testable import LLM

/// LoRA over a frozen quantized base: the products of ``FrozenWeight`` against the dense products
/// of the same dequantized weight, a LoRA step through quantized weights against the same step on
/// their fp32 copy, and layer checkpointing against keeping every activation.
@Suite("LoRA over a quantized base")
struct QuantizedBaseTests {
    /// The tiny Qwen2 (biases, grouped-query attention, untied head) with every matrix stored as Q8_0.
    static func quantizedQwen2() throws -> LlamaModel { quantizedQ8(try SharedModels.qwen2Tiny.get().model) }

    /// `base` with every matrix (projections, embedding, output layer) stored as Q8_0.
    static func quantizedQ8(_ base: LlamaModel) -> LlamaModel {
        func q8(_ matrix: WeightMatrix) -> WeightMatrix {
            let values = matrix.floatTensor().toArray()
            let bytes = Quantize.encode(values, as: .q8_0)
            let owned = OwnedBytes(count: bytes.count)
            bytes.withUnsafeBytes { owned.pointer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
            return WeightMatrix(
                quantized: .q8_0, bytes: UnsafeRawPointer(owned.pointer), owner: owned, rows: matrix.rows,
                columns: matrix.columns)
        }
        var weights = base.weights
        weights.embedding = q8(weights.embedding)
        weights.outputProjection = weights.tied ? weights.embedding : q8(weights.outputProjection)
        for i in weights.layers.indices {
            weights.layers[i].query = q8(weights.layers[i].query)
            weights.layers[i].key = q8(weights.layers[i].key)
            weights.layers[i].value = q8(weights.layers[i].value)
            weights.layers[i].output = q8(weights.layers[i].output)
            weights.layers[i].gate = q8(weights.layers[i].gate)
            weights.layers[i].up = q8(weights.layers[i].up)
            weights.layers[i].down = q8(weights.layers[i].down)
        }
        return LlamaModel(config: base.config, weights: weights)
    }

    /// A batch of two rows with ignored targets, and adapters whose B is not zero (so every
    /// gradient path carries signal), with dropout.
    static func setting(_ config: TransformerConfig) -> (ids: [Int32], targets: [Int32], lora: LoRALayers) {
        var generator = SplitMix64(state: 5)
        let ids = (0..<24).map { _ in Int32(generator.next() % UInt64(config.vocabularySize)) }
        let targets = ids.enumerated().map { $0.offset % 12 < 4 ? -100 : Int32((Int($0.element) + 7) % config.vocabularySize) }
        let lora = LoRALayers(
            config: LoRAConfig(rank: 4, alpha: 8, dropout: 0.1, targets: LoRATarget.allCases), model: config, seed: 3)
        for module in lora.modules {
            for i in 0..<module.b.count { module.b.data[i] = Float(Int(generator.next() % 2001) - 1000) / 20_000 }
        }
        return (ids, targets, lora)
    }

    static func lossAndGradients(_ graph: LlamaGraph, _ ids: [Int32], _ targets: [Int32], _ lora: LoRALayers)
        -> (loss: Float, gradients: [[Float]])
    {
        for parameter in lora.parameters { parameter.zeroGrad() }
        let loss = graph.loss(ids: ids, batch: 2, length: 12, targets: targets, lora: lora, dropoutSeed: 99)
        loss.backward()
        return (loss.item(), lora.parameters.map { $0.grad?.toArray() ?? [] })
    }

    @Test("frozen quantized products equal the dense products of the dequantized weight, every type", arguments: QuantizedDotTests.types)
    func products(type: GGMLType) {
        let (rows, columns, n) = (600, 512, 7)
        let bytes = QuantizedDotTests.randomRows(type, rows: rows, columns: columns, seed: 21)
        let owned = OwnedBytes(count: bytes.count)
        bytes.withUnsafeBytes { owned.pointer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        let matrix = WeightMatrix(
            quantized: type, bytes: UnsafeRawPointer(owned.pointer), owner: owned, rows: rows, columns: columns)
        let frozen = FrozenWeight(matrix), dense = DenseFrozenMatrix(matrix.floatTensor())
        let x = QuantizedDotTests.randomActivations(n * columns, seed: 1)
        let dy = QuantizedDotTests.randomActivations(n * rows, seed: 2)
        var y = [Float](repeating: 0, count: n * rows), yRef = y
        var dx = [Float](repeating: .nan, count: n * columns), dxRef = dx
        frozen.multiply(x, count: n, into: &y)
        dense.multiply(x, count: n, into: &yRef)
        frozen.multiplyTransposed(dy, count: n, into: &dx)
        dense.multiplyTransposed(dy, count: n, into: &dxRef)
        #expect(maxDifference(y, yRef) <= 1e-4 * (yRef.map(abs).max() ?? 1), "\(type) forward")
        #expect(maxDifference(dx, dxRef) <= 1e-4 * (dxRef.map(abs).max() ?? 1), "\(type) input gradient")
    }

    @Test("a LoRA step through Q8_0 weights kept quantized equals the step on their fp32 copy within 1e-5")
    func stepMatchesDequantized() throws {
        let model = try Self.quantizedQwen2()
        let quantized = LlamaGraph(model: model, keepQuantized: true)
        let dequantized = LlamaGraph(model: model)
        #expect(quantized.frozen.count == 2 * 7 + 2, "every projection, the embedding and the head stay quantized")
        #expect(quantized.parameters.keys.allSatisfy { !$0.hasSuffix("proj.weight") && !$0.hasPrefix("lm_head") })
        let (ids, targets, lora) = Self.setting(model.config)
        let a = Self.lossAndGradients(quantized, ids, targets, lora)
        let b = Self.lossAndGradients(dequantized, ids, targets, lora)
        expectClose([a.loss], [b.loss], tolerance: 1e-5, "loss")
        for (i, (ga, gb)) in zip(a.gradients, b.gradients).enumerated() {
            #expect(!ga.isEmpty && ga.contains { $0 != 0 }, "parameter \(i) got a gradient")
            expectClose(ga, gb, tolerance: 1e-5, "gradient \(i)")
        }
    }

    @Test("checkpointed layers give the loss and LoRA gradients of the plain graph (dropout on)")
    func checkpointing() throws {
        let model = try Self.quantizedQwen2()
        var graph = LlamaGraph(model: model, keepQuantized: true)
        let (ids, targets, lora) = Self.setting(model.config)
        let plain = Self.lossAndGradients(graph, ids, targets, lora)
        graph.checkpointLayers = true
        let recomputed = Self.lossAndGradients(graph, ids, targets, lora)
        #expect(plain.loss == recomputed.loss)
        for (i, (ga, gb)) in zip(plain.gradients, recomputed.gradients).enumerated() {
            expectClose(ga, gb, tolerance: 1e-6, "gradient \(i)")
        }
    }

    @Test("checkpointing also carries full fine-tuning's weight gradients")
    func checkpointingFullFineTune() throws {
        let base = try SharedModels.qwen2Tiny.get().model
        var graph = LlamaGraph(model: base)
        let (ids, targets, _) = Self.setting(base.config)
        let weight = graph.parameters["model.layers.0.mlp.up_proj.weight"]!
        weight.requiresGrad = true
        defer {
            weight.requiresGrad = false
            weight.grad = nil
        }
        graph.loss(ids: ids, batch: 2, length: 12, targets: targets).backward()
        let plain = weight.grad!.toArray()
        weight.grad = nil
        graph.checkpointLayers = true
        graph.loss(ids: ids, batch: 2, length: 12, targets: targets).backward()
        expectClose(weight.grad!.toArray(), plain, tolerance: 1e-6, "dW up_proj")
    }
}
