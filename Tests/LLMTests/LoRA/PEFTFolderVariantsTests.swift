import Foundation
import Testing

@testable import LLM

/// Adapter folders as PEFT writes them after a TRL run (`train --backend trl`): what loads, and what
/// is refused with the field or tensor named instead of being half-applied.
@Suite("PEFT adapter folders from other trainers")
struct PEFTFolderVariantsTests {
    /// A one-module adapter written by us, then its config edited as PEFT would write it.
    func folder(editing edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let folder = NSTemporaryDirectory() + "peft-variant-\(UUID().uuidString)"
        let pair = LoRAAdapter.Pair(a: [1, 2, 3, 4, 5, 6], b: [0.5, -1, 2, 0], inFeatures: 3, outFeatures: 2)
        try LoRAAdapter(config: LoRAConfig(rank: 2, targets: [.q]), modules: ["model.layers.0.self_attn.q_proj": pair])
            .write(to: folder)
        let path = folder + "/adapter_config.json"
        var json = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return folder
    }

    @Test("target_modules as a regular expression or all-linear is read off the weights")
    func targetsFromWeights() throws {
        for value in ["all-linear", ".*\\.(q_proj)$"] {
            let adapter = try LoRAAdapter(folder: try folder { $0["target_modules"] = value })
            #expect(adapter.config.targets == [.q], "\(value)")
        }
    }

    @Test("PEFT's newer null fields load; modules_to_save, target_parameters and trainable tokens are refused by name")
    func refusals() throws {
        let plain = try folder {
            for key in ["target_parameters", "layer_replication", "trainable_token_indices", "modules_to_save"] { $0[key] = NSNull() }
            $0["lora_bias"] = false
        }
        #expect(try LoRAAdapter(folder: plain).modules.count == 1)
        let cases: [(String, Any, String)] = [
            ("modules_to_save", ["lm_head", "embed_tokens"], "modules_to_save: lm_head, embed_tokens"),
            ("target_parameters", ["experts.gate_up_proj"], "target_parameters"),
            ("trainable_token_indices", [1, 2], "trainable_token_indices"),
        ]
        for (key, value, message) in cases {
            let bad = try folder { $0[key] = value }
            #expect { try LoRAAdapter(folder: bad) } throws: { "\($0)".contains("adapter_config.json: " + message) }
        }
    }

    @Test("a saved embedding or a LoRA on the embeddings is refused with the tensor named")
    func extraTensors() throws {
        for name in ["base_model.model.model.embed_tokens.weight", "base_model.model.model.embed_tokens.lora_embedding_A"] {
            let bad = try folder()
            var writer = SafeTensorsWriter(metadata: ["format": "pt"])
            writer.add(.init(name: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]))
            writer.add(.init(name: "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", shape: [2, 2], values: [1, 0, 0, 1]))
            writer.add(.init(name: name, shape: [2, 3], values: [0, 0, 0, 0, 0, 0]))
            try writer.write(to: bad + "/adapter_model.safetensors")
            #expect { try LoRAAdapter(folder: bad) } throws: { "\($0)".contains("tensor \(name)") }
        }
    }
}
