import Foundation
import Testing

@testable import LLM

@Suite("Merged Hugging Face folder export")
struct HuggingFaceExportTests {
    @Test("from a Hugging Face base with an adapter: the folder loads back with the unmerged model's logits")
    func fromHuggingFace() throws {
        let base = try LanguageModel(path: Fixtures.path("Model/llama-tiny"))
        let adapted = try base.applying(RandomAdapter.make(for: base.config, targets: [.q, .k, .up]))
        let folder = temporaryPath("hf")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try HuggingFaceExport.write(adapted, to: folder)
        #expect(result.missing.isEmpty)
        #expect(
            Set(result.files).isSuperset(of: [
                "model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json",
            ]))
        let model = try LanguageModel(path: folder)
        let ids = base.tokenizer.encode("return a + b")
        let expected = allLogits(adapted.model, ids)
        let rows = allLogits(model.model, ids)
        for t in ids.indices { expectRelativelyClose(rows[t], expected[t], relative: 1e-5, "pos \(t)") }
        #expect(model.config == base.config && model.chatTemplate == base.chatTemplate)
        let safetensors = try SafeTensorsFile(path: folder + "/model.safetensors")
        #expect(safetensors.tensors.map(\.name).contains("model.layers.1.self_attn.q_proj.weight"))
        #expect(!safetensors.tensors.map(\.name).contains("lm_head.weight"), "tied embeddings are not duplicated")
        let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(readme.contains("r=4"))
    }

    @Test("the streamed model.safetensors is byte for byte what the in-memory writer produces")
    func streamedSafeTensors() throws {
        let tensors = [
            ModelTensor(name: "b.weight", shape: [2, 3], values: { [1, 2, 3, 4, 5, -6] }),
            ModelTensor(name: "a.bias", shape: [3], values: { [0.5, 0, -1e-8] }),
        ]
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for t in tensors { writer.add(.init(name: t.name, shape: t.shape, values: t.values())) }
        let path = temporaryPath("stream") + ".safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensorsStreaming.write(tensors, to: path)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == writer.encoded())
    }

    @Test("from a GGUF base: config.json, tokenizer.json and tokenizer_config.json are written from its metadata")
    func fromGGUF() throws {
        // A GGUF made by our exporter from the PEFT fixture's base (plain rope, llama architecture).
        let hfBase = try LanguageModel(path: Fixtures.path("Export/peft-base"))
        let gguf = temporaryPath("base") + ".gguf"
        let folder = temporaryPath("hf")
        defer {
            try? FileManager.default.removeItem(atPath: gguf)
            try? FileManager.default.removeItem(atPath: folder)
        }
        try GGUFExport.write(hfBase, type: .f32, to: gguf)
        let ggufBase = try LanguageModel(path: gguf)
        let adapted = try ggufBase.applying(RandomAdapter.make(for: ggufBase.config))
        let result = try HuggingFaceExport.write(adapted, to: folder)
        #expect(result.missing.isEmpty, "\(result.missing)")
        let model = try LanguageModel(path: folder)
        let text = "Hello <|start_header_id|>user<|end_header_id|> 12345 déjà vu\n\tdef f(): pass"
        #expect(model.tokenizer.encode(text) == hfBase.tokenizer.encode(text))
        #expect(model.tokenizer.bosTokenID == hfBase.tokenizer.bosTokenID)
        #expect(model.tokenizer.eosTokenID == hfBase.tokenizer.eosTokenID)
        #expect(model.chatTemplate == hfBase.chatTemplate)
        #expect(model.config == hfBase.config)
        let ids = hfBase.tokenizer.encode("def f(): pass")
        expectRelativelyClose(allLogits(model.model, ids).last!, allLogits(adapted.model, ids).last!, relative: 1e-5)
    }

    @Test("the SmolLM2 GGUF vocabulary becomes a tokenizer.json that encodes like the GGUF tokenizer")
    func smolLM2Tokenizer() throws {
        let file = try GGUFFile(path: Fixtures.smolLM2Path())
        let folder = temporaryPath("tok")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try TokenizerJSONWriter.tokenizerJSON(gguf: file).write(to: URL(fileURLWithPath: folder + "/tokenizer.json"))
        try HuggingFaceExport.writeJSON(
            try TokenizerJSONWriter.tokenizerConfig(gguf: file), to: folder + "/tokenizer_config.json")
        let rebuilt = try Tokenizer(huggingFaceFolder: folder)
        let original = try Tokenizer(gguf: file)
        let corpus = try Fixtures.json([String].self, "Tokenizer/corpus.json")
        for text in corpus { #expect(rebuilt.encode(text) == original.encode(text), "\(text.prefix(40))") }
        #expect(rebuilt.bosTokenID == original.bosTokenID && rebuilt.eosTokenID == original.eosTokenID)
        let config = try HuggingFaceTokenizerConfig(folder: folder)
        #expect(config.chatTemplate == file["tokenizer.chat_template"]?.string)
    }
}
