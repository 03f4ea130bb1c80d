import Foundation

/// Progress of an export, reported tensor by tensor.
public struct ExportProgress: Sendable {
    /// What is being done (`blk.3.attn_q.weight`, `writing model-q8_0.gguf`).
    public let step: String
    public let completed: Int
    public let total: Int
}

/// Writing a model — typically base + LoRA adapter, merged — as a GGUF file for llama.cpp,
/// Ollama, LM Studio and our own loader.
///
/// Follows llama.cpp's `convert_hf_to_gguf.py`: tensor names of `MODEL_TENSORS[LLAMA]`, q/k rows
/// permuted for the `llama` architecture (``LlamaQKPermutation/toGGUF(_:heads:columns:)``), matrices
/// in the chosen type and 1-D tensors (norms, biases, `rope_freqs`) always F32, and
/// `general.file_type` set to match (`LlamaFileType`: ALL_F32 = 0, MOSTLY_F16 = 1, MOSTLY_Q8_0 = 7).
/// Metadata comes from the base: a GGUF base's header is copied whole (tokenizer, chat template,
/// hyper-parameters, provenance), a Hugging Face base's is built from `config.json`,
/// `tokenizer.json` and `tokenizer_config.json` (``GGUFMetadataBuilder``).
public enum GGUFExport {
    /// The types an export can write, by their command-line names.
    public static let types: [String: GGMLType] = ["f32": .f32, "f16": .f16, "q8_0": .q8_0]

    /// Merges `model`'s adapter (if any) and writes the result to `path` in `type`.
    public static func write(
        _ model: LanguageModel, type: GGMLType, to path: String, name: String? = nil,
        progress: (ExportProgress) -> Void = { _ in }
    ) throws {
        guard Quantize.supported.contains(type) else {
            throw GGUFWriterError("cannot export as \(type); choose F32, F16 or Q8_0")
        }
        let merged = model.merged()
        let config = merged.config
        var writer = GGUFWriter()
        try GGUFMetadataBuilder.fill(&writer, from: model, name: name)
        writer.set("general.file_type", .uint32(fileType(type)))
        if type == .q8_0 { writer.set("general.quantization_version", .uint32(2)) }

        let permuted = LlamaQKPermutation.isPermuted(architecture: config.architecture)
        let tensors = merged.model.weights.modelTensors()
        let extra = try ropeFrequencyTensor(config)
        let total = tensors.count + (extra == nil ? 0 : 1) + 1
        var done = 0
        if let extra {
            try writer.addTensor(name: "rope_freqs.weight", shape: [extra.count], values: extra, as: .f32)
            done += 1
        }
        for tensor in tensors {
            guard let ggufName = LlamaTensorNames.gguf(tensor.name) else {
                throw GGUFWriterError("tensor \(tensor.name) has no llama.cpp name")
            }
            progress(ExportProgress(step: ggufName, completed: done, total: total))
            var values = tensor.values()
            if permuted, let heads = permutedHeads(tensor.name, config) {
                values = LlamaQKPermutation.toGGUF(values, heads: heads, columns: tensor.isMatrix ? tensor.shape[1] : 1)
            }
            // ggml shape order is the reverse of PyTorch's; rows that are not whole blocks fall back
            // to F16 as the converter does.
            var storedType = tensor.isMatrix ? type : .f32
            if tensor.shape.last! % storedType.blockSize != 0 { storedType = .f16 }
            try writer.addTensor(name: ggufName, shape: tensor.shape.reversed(), values: values, as: storedType)
            done += 1
        }
        progress(ExportProgress(step: "writing \((path as NSString).lastPathComponent)", completed: done, total: total))
        try writer.write(to: path)
        progress(ExportProgress(step: "done", completed: total, total: total))
    }

    static func fileType(_ type: GGMLType) -> UInt32 {
        switch type {
        case .f16: 1
        case .q8_0: 7
        default: 0
        }
    }

    /// The head count whose permutation applies to q/k weights and biases; nil for other tensors.
    static func permutedHeads(_ name: String, _ config: TransformerConfig) -> Int? {
        if name.hasSuffix("q_proj.weight") || name.hasSuffix("q_proj.bias") { return config.headCount }
        if name.hasSuffix("k_proj.weight") || name.hasSuffix("k_proj.bias") { return config.kvHeadCount }
        return nil
    }

    /// Llama 3.1's rope scaling as llama.cpp stores it: per frequency pair, the divisor
    /// base / scaled (`LlamaModel.generate_extra_tensors` writes `rope_freqs.weight`).
    static func ropeFrequencyTensor(_ config: TransformerConfig) throws -> [Float]? {
        switch config.ropeScaling {
        case .frequencyFactors(let factors): return factors
        case .llama3:
            var unscaled = config
            unscaled.ropeScaling = nil
            let base = InferenceKernels.inverseFrequencies(unscaled)
            let scaled = InferenceKernels.inverseFrequencies(config)
            return zip(base, scaled).map { $0 / $1 }
        case .linear, nil: return nil
        }
    }
}
