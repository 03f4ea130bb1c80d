import Foundation
import Tensor

/// Writes fully fine-tuned weights as a Hugging Face folder that our loader, `clarifycoder export`
/// and `transformers` read: `model.safetensors` under the `transformers` state-dict names (the tied
/// head written once, as the embedding, as `save_pretrained` does), and `config.json` and the
/// tokenizer files as ``HuggingFaceExport`` writes them — copied from a Hugging Face base, written
/// from a GGUF base's metadata (its q/k rows are already in Hugging Face order after loading, see
/// ``LlamaQKPermutation``).
enum FullModelWriter {
    static func write(graph: LlamaGraph, model: LanguageModel, to folder: String) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (name, tensor) in graph.distinctParameters {
            writer.add(.init(name: name, shape: tensor.shape, values: tensor.toArray()))
        }
        try writer.write(to: folder + "/model.safetensors")
        var result = HuggingFaceExport.Result(files: ["model.safetensors"], missing: [])
        try HuggingFaceExport.writeMetadata(base: model.path, config: model.config, to: folder, result: &result)
        if !result.missing.isEmpty {  // said beside the weights rather than lost with them
            try HuggingFaceExport.readme(model: model, result: result)
                .write(toFile: folder + "/README.md", atomically: true, encoding: .utf8)
        }
    }
}
