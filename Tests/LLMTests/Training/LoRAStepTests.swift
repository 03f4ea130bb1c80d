import Foundation
import Tensor
import Testing

@testable import LLM

/// One LoRA step against PyTorch + PEFT (`Fixtures/Training/make_lora_step.py`): the same random
/// model, adapters on all seven projections, the same batch with ignored targets — loss, every A/B
/// gradient, and A/B after one AdamW step. Three cases: a Llama (grouped-query attention, tied
/// embeddings); a Qwen2 (q/k/v biases, untied output layer, rope θ 1e6); and that Qwen2 with its
/// matrices stored as Q8_0 and kept quantized by the graph, against PEFT on the dequantized
/// weights — Q8_0 decodes to d·q exactly in fp32 on both sides, so the same 1e-5 holds.
@Suite("One LoRA training step matches PyTorch + PEFT")
struct LoRAStepTests {
    static let targets: [LoRATarget] = [.q, .k, .v, .o, .gate, .up, .down]

    struct Case: Sendable, CustomTestStringConvertible {
        var folder: String
        var fixture: String
        var quantized: Bool
        var testDescription: String { quantized ? "\(fixture) (Q8_0 base kept quantized)" : fixture }
    }

    static let cases = [
        Case(folder: "lora-step", fixture: "lora_step", quantized: false),
        Case(folder: "qwen2-lora-step", fixture: "qwen2_lora_step", quantized: false),
        Case(folder: "qwen2-lora-step", fixture: "qwen2_lora_step_q8", quantized: true),
    ]

    static func load(_ setting: Case = cases[0]) throws -> (graph: LlamaGraph, fixture: SafeTensorsFile, lora: LoRALayers) {
        let folder = Fixtures.path("Training/" + setting.folder)
        let config = try ModelRegistry.config(jsonAt: folder + "/config.json")
        var model = LlamaModel(config: config, weights: try TransformerWeights(huggingFaceFolder: folder, config: config))
        if setting.quantized { model = QuantizedBaseTests.quantizedQ8(model) }
        let fixture = try SafeTensorsFile(path: Fixtures.path("Training/\(setting.fixture).safetensors"))
        var modules: [String: LoRAAdapter.Pair] = [:]
        for layer in 0..<config.layerCount {
            for target in targets {
                let path = target.modulePath(layer: layer)
                let a = try fixture.tensor("init.\(path).lora_A"), b = try fixture.tensor("init.\(path).lora_B")
                modules[path] = LoRAAdapter.Pair(
                    a: try fixture.floats(a.name), b: try fixture.floats(b.name), inFeatures: a.shape[1],
                    outFeatures: b.shape[0])
            }
        }
        let adapter = LoRAAdapter(config: LoRAConfig(rank: 4, alpha: 8, dropout: 0, targets: targets), modules: modules)
        let graph = LlamaGraph(model: model, keepQuantized: setting.quantized)
        #expect(graph.frozen.isEmpty != setting.quantized)
        return (graph, fixture, try LoRALayers(adapter: adapter, model: config))
    }

    @Test("loss, LoRA gradients and weights after AdamW agree within 1e-5", arguments: cases)
    func oneStep(_ setting: Case) throws {
        let (graph, fixture, lora) = try Self.load(setting)
        let ids = try fixture.floats("input.ids").map { Int32($0) }
        let targets = try fixture.floats("input.targets").map { Int32($0) }
        let loss = graph.loss(ids: ids, batch: 2, length: 12, targets: targets, lora: lora)
        expectClose([loss.item()], try fixture.floats("loss"), tolerance: 1e-5, "loss")
        loss.backward()
        for module in lora.modules {
            expectClose(module.a.grad?.toArray() ?? [], try fixture.floats("grad.\(module.path).lora_A"),
                tolerance: 1e-5, "dA \(module.path)")
            expectClose(module.b.grad?.toArray() ?? [], try fixture.floats("grad.\(module.path).lora_B"),
                tolerance: 1e-5, "dB \(module.path)")
        }
        var optimizer = AdamW(parameters: lora.parameters, weightDecay: 0.01)
        optimizer.step(learningRate: 1e-3)
        for module in lora.modules {
            expectClose(module.a.toArray(), try fixture.floats("after.\(module.path).lora_A"), tolerance: 1e-5,
                "A \(module.path)")
            expectClose(module.b.toArray(), try fixture.floats("after.\(module.path).lora_B"), tolerance: 1e-5,
                "B \(module.path)")
        }
    }

    @Test("the frozen base gets no gradient buffers")
    func baseFrozen() throws {
        let (graph, fixture, lora) = try Self.load()
        let ids = try fixture.floats("input.ids").map { Int32($0) }
        let targets = try fixture.floats("input.targets").map { Int32($0) }
        graph.loss(ids: ids, batch: 2, length: 12, targets: targets, lora: lora).backward()
        #expect(graph.parameters.values.allSatisfy { $0.grad == nil && !$0.requiresGrad })
        #expect(lora.parameters.allSatisfy { $0.grad != nil })
    }

    @Test("fresh adapters start at the base model: A uniform in ±1/√in as PEFT's kaiming init, B zero")
    func initialisation() throws {
        let config = try ModelRegistry.config(jsonAt: Fixtures.path("Training/lora-step/config.json"))
        let lora = LoRALayers(config: LoRAConfig(rank: 8, targets: [.q, .down]), model: config, seed: 7)
        #expect(lora.modules.map(\.path) == [
            "model.layers.0.self_attn.q_proj", "model.layers.0.mlp.down_proj",
            "model.layers.1.self_attn.q_proj", "model.layers.1.mlp.down_proj",
        ])
        for module in lora.modules {
            let inFeatures = module.a.shape[1]
            let bound = 1 / Float(inFeatures).squareRoot()
            let a = module.a.toArray()
            #expect(a.allSatisfy { abs($0) <= bound })
            let variance = a.map { $0 * $0 }.reduce(0, +) / Float(a.count)
            // Uniform(−b, b) has variance b²/3.
            #expect(abs(variance - bound * bound / 3) < 0.35 * bound * bound / 3, "\(module.path)")
            #expect(module.b.toArray().allSatisfy { $0 == 0 })
        }
        let same = LoRALayers(config: LoRAConfig(rank: 8, targets: [.q, .down]), model: config, seed: 7)
        #expect(same.modules[0].a.toArray() == lora.modules[0].a.toArray(), "the seed fixes the initialisation")
        #expect(LoRAConfig(rank: 16, alpha: 16, useRSLoRA: true).scale == 4, "rsLoRA scales by alpha/√r")
    }
}
