import Foundation
import Testing

@testable import LLM

@Suite("checkpoints")
struct CheckpointTests {
    @Test("presents the embedded GGUF model under Hugging Face names, shapes and q/k layout")
    func ggufCheckpoint() throws {
        let checkpoint = try GGUFCheckpoint(path: Fixtures.smolLM2Path())
        #expect(checkpoint.tensorNames.count == 272)
        #expect(!checkpoint.tensorNames.contains("lm_head.weight"))  // tied to the embedding
        #expect(try checkpoint.shape(of: "model.embed_tokens.weight") == [49152, 576])
        #expect(try checkpoint.shape(of: "model.layers.0.self_attn.k_proj.weight") == [192, 576])
        #expect(try checkpoint.shape(of: "model.layers.29.mlp.down_proj.weight") == [576, 1536])

        struct Rows: Decodable {
            let rows: [Int]
            let columns: Int
            let values: [[Float]]
        }
        let expected = try Fixtures.json([String: Rows].self, "GGUF/smollm2_hf_layout.json")
        let q = try checkpoint.floats("model.layers.0.self_attn.q_proj.weight")
        let reference = try #require(expected["blk.0.attn_q.weight"])
        for (row, values) in zip(reference.rows, reference.values) {
            expectClose(Array(q[(row * 576)..<(row * 576 + reference.columns)]), values, tolerance: 0, "row \(row)")
        }
    }

    @Test("gives every tensor of a small llama GGUF as transformers' GGUF loader does: names, shapes, values")
    func tinyLlama() throws {
        struct Tensor: Decodable {
            let shape: [Int]
            let values: [Float]
        }
        let expected = try Fixtures.json([String: Tensor].self, "Weights/tiny_llama.expected.json")
        let checkpoint = try GGUFCheckpoint(path: Fixtures.path("Weights/tiny_llama.gguf"))
        #expect(checkpoint.config.headCount == 4 && checkpoint.config.kvHeadCount == 2)
        #expect(checkpoint.config.headDim == 8 && checkpoint.config.ropeTheta == 50000)
        #expect(!checkpoint.config.tieWordEmbeddings)
        #expect(checkpoint.tensorNames == expected.keys.sorted())
        for (name, tensor) in expected {
            #expect(try checkpoint.shape(of: name) == tensor.shape, "\(name)")
            expectClose(try checkpoint.floats(name), tensor.values, tolerance: 0, name)
        }
        #expect(throws: ModelFileError.self) { try checkpoint.floats("model.layers.1.mlp.up_proj.weight") }
    }

    @Test("exports GGUF tensors to safetensors that read back as the same Hugging Face tensors")
    func exportRoundTrip() throws {
        let checkpoint = try GGUFCheckpoint(path: Fixtures.smolLM2Path())
        let names = ["model.layers.0.self_attn.q_proj.weight", "model.norm.weight"]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("llm-\(UUID().uuidString).safetensors")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try checkpoint.exportSafeTensors(to: path, names: names)
        let file = try SafeTensorsFile(path: path)
        for name in names {
            #expect(try file.tensor(name).shape == checkpoint.shape(of: name))
            #expect(try file.floats(name) == checkpoint.floats(name))
        }
    }

    @Test("reads a sharded Hugging Face folder through its index, and refuses shard paths outside it")
    func shardedFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("llm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(
            atPath: Fixtures.path("Config/qwen2.config.json"), toPath: dir.appendingPathComponent("config.json").path)
        var first = SafeTensorsWriter()
        first.add(.init(name: "model.embed_tokens.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]))
        try first.write(to: dir.appendingPathComponent("model-00001-of-00002.safetensors").path)
        var second = SafeTensorsWriter()
        second.add(.init(name: "model.norm.weight", dtype: .bf16, shape: [2], values: [0.5, -1]))
        try second.write(to: dir.appendingPathComponent("model-00002-of-00002.safetensors").path)
        let index =
            #"{"metadata":{},"weight_map":{"model.embed_tokens.weight":"model-00001-of-00002.safetensors","#
            + #""model.norm.weight":"model-00002-of-00002.safetensors"}}"#
        try index.write(
            to: dir.appendingPathComponent("model.safetensors.index.json"), atomically: true, encoding: .utf8)

        let checkpoint = try SafeTensorsCheckpoint(folder: dir.path)
        #expect(try openCheckpoint(at: dir.path) is SafeTensorsCheckpoint)
        #expect(checkpoint.config.architecture == "qwen2")
        #expect(checkpoint.tensorNames == ["model.embed_tokens.weight", "model.norm.weight"])
        #expect(try checkpoint.floats("model.norm.weight") == [0.5, -1])
        #expect(try checkpoint.shape(of: "model.embed_tokens.weight") == [2, 3])

        try #"{"weight_map":{"x":"../../etc/passwd"}}"#.write(
            to: dir.appendingPathComponent("model.safetensors.index.json"), atomically: true, encoding: .utf8)
        #expect(throws: ModelFileError.self) { try SafeTensorsCheckpoint(folder: dir.path) }
    }

    @Test("opens a Qwen2 Hugging Face folder end to end: config, F32/F16 tensors with biases, tokenizer, template")
    func qwen2Folder() throws {
        struct Tensor: Decodable {
            let shape: [Int]
            let dtype: String
            let head: [Float]
        }
        // The committed config.json and model.safetensors, plus the Qwen2-style tokenizer files.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("llm-qwen2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (from, to) in [
            ("Weights/tiny-qwen2/config.json", "config.json"),
            ("Weights/tiny-qwen2/model.safetensors", "model.safetensors"),
            ("Tokenizer/qwen2.tokenizer.json", "tokenizer.json"),
            ("Tokenizer/qwen2-folder/tokenizer_config.json", "tokenizer_config.json"),
            ("Tokenizer/qwen2-folder/chat_template.jinja", "chat_template.jinja"),
        ] {
            try FileManager.default.copyItem(atPath: Fixtures.path(from), toPath: dir.appendingPathComponent(to).path)
        }

        let checkpoint = try openCheckpoint(at: dir.path)
        #expect(checkpoint.config.architecture == "qwen2" && checkpoint.config.attentionBias)
        #expect(checkpoint.config.tieWordEmbeddings && checkpoint.config.ropeTheta == 1_000_000)
        let expected = try Fixtures.json([String: Tensor].self, "Weights/tiny-qwen2.expected.json")
        #expect(checkpoint.tensorNames == expected.keys.sorted())
        #expect(expected.values.contains { $0.dtype == "float16" })
        for (name, tensor) in expected {
            #expect(try checkpoint.shape(of: name) == tensor.shape, "\(name)")
            let values = try checkpoint.floats(name)
            #expect(values.count == tensor.shape.reduce(1, *), "\(name)")
            expectClose(Array(values.prefix(8)), tensor.head, tolerance: 0, name)
        }

        let tokenizer = try Tokenizer(checkpointAt: dir.path)
        #expect(tokenizer.preTokenizer == .qwen2 && tokenizer.eosTokenID == 2 && tokenizer.id(of: "<|im_end|>") == 2)
        let template = try ChatTemplate(checkpointAt: dir.path)
        #expect(template == .chatML(defaultSystemPrompt: "You are a helpful assistant."))
    }

    @Test("opens a GGUF file or a folder by path, and names a path that does not exist")
    func openByPath() throws {
        let gguf = try openCheckpoint(at: Fixtures.smolLM2Path())
        #expect(gguf is GGUFCheckpoint)
        #expect(gguf.config.layerCount == 30)
        let missing = "/nonexistent/model.gguf"
        #expect { try openCheckpoint(at: missing) } throws: { error in
            (error as? ModelFileError).map { "\($0)".contains(missing) && $0.isCannotOpen } ?? false
        }
    }
}
