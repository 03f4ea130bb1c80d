import Foundation
import Testing

@testable import LLM

@Suite("LoRA adapter folders")
struct LoRAAdapterTests {
    func temporaryFolder() -> String {
        NSTemporaryDirectory() + "lora-\(UUID().uuidString)"
    }

    @Test("an adapter written as a PEFT folder reads back with the same config and weights")
    func roundTrip() throws {
        let config = LoRAConfig(rank: 2, alpha: 4, dropout: 0.1, targets: [.q, .down], useRSLoRA: true, baseModel: "org/base")
        let q = LoRAAdapter.Pair(a: [1, 2, 3, 4, 5, 6], b: [0.5, -1, 2, 0], inFeatures: 3, outFeatures: 2)
        let adapter = LoRAAdapter(config: config, modules: ["model.layers.0.self_attn.q_proj": q])
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try adapter.write(to: folder)
        let read = try LoRAAdapter(folder: folder)
        #expect(read.config == config)
        #expect(read.modules == adapter.modules)
        let text = try String(contentsOfFile: folder + "/adapter_config.json", encoding: .utf8)
        #expect(text.contains("\"q_proj\"") && text.contains("\"down_proj\""))
        let file = try SafeTensorsFile(path: folder + "/adapter_model.safetensors")
        #expect(file.tensors.map(\.name).sorted() == [
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
            "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
        ])
    }

    @Test("the merged update is scale · B · A")
    func delta() throws {
        let config = LoRAConfig(rank: 1, alpha: 2, targets: [.v])
        let pair = LoRAAdapter.Pair(a: [1, 2], b: [3, -1], inFeatures: 2, outFeatures: 2)
        let adapter = LoRAAdapter(config: config, modules: ["m": pair])
        #expect(adapter.delta(for: "m") == [6, 12, -2, -4])
        #expect(config.scale == 2)
        #expect(LoRAConfig(rank: 4, alpha: 8, useRSLoRA: true).scale == 4)
    }

    @Test("target lists accept short and module names and reject unknown ones")
    func targets() throws {
        #expect(try LoRATarget.parseList("v_proj, q,k,q") == [.q, .k, .v])
        #expect(throws: LoRAAdapterError.self) { try LoRATarget.parseList("q,attn") }
        #expect(LoRATarget.gate.modulePath(layer: 2) == "model.layers.2.mlp.gate_proj")
    }

    @Test("a folder without adapter_config.json is named in the error")
    func missingConfig() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: LoRAAdapterError.self) { try LoRAAdapter(folder: folder) }
    }
}
