import Foundation

/// `clarifycoder export`: takes a training run (or a bare PEFT adapter) to the rest of the
/// ecosystem — a PEFT folder for `peft`, a merged GGUF for llama.cpp / Ollama, a merged Hugging
/// Face folder for `transformers`.
public enum RunExport {
    public enum Format: String, Sendable, CaseIterable {
        case peft, gguf, hf
    }

    public struct Parameters: Sendable {
        /// A run folder or a PEFT adapter folder.
        public var source: String
        public var format: Format
        /// GGUF tensor type (`f32`, `f16`, `q8_0`); GGUF only.
        public var type: GGMLType
        /// Output path; default under the source's `export/`.
        public var out: String?
        /// `best`, `last` or `step-N`.
        public var checkpoint: String
        /// Base checkpoint path or `smollm2`, overriding the run's.
        public var base: String?

        public init(
            source: String, format: Format, type: GGMLType = .f16, out: String? = nil, checkpoint: String = "best",
            base: String? = nil
        ) {
            self.source = source
            self.format = format
            self.type = type
            self.out = out
            self.checkpoint = checkpoint
            self.base = base
        }
    }

    public struct Outcome: Sendable {
        /// What was written.
        public var path: String
        /// Things the user should know (missing tokenizer files, an unknown base id).
        public var notes: [String]
    }

    /// The default output of each format: `export/peft`, `export/model-<type>.gguf`, `export/hf`.
    public static func defaultOutput(_ parameters: Parameters, source: ExportSource) -> String {
        switch parameters.format {
        case .peft: source.exportFolder + "/peft"
        case .gguf: source.exportFolder + "/model-\(parameters.type.description.lowercased()).gguf"
        case .hf: source.exportFolder + "/hf"
        }
    }

    public static func run(_ parameters: Parameters, progress: (ExportProgress) -> Void = { _ in }) throws -> Outcome {
        let source = try ExportSource(
            folder: parameters.source, checkpoint: parameters.checkpoint, base: parameters.base)
        let out = parameters.out ?? defaultOutput(parameters, source: source)
        var notes: [String] = []
        switch parameters.format {
        case .peft:
            guard let adapterPath = source.adapterPath else {
                throw ExportError("\(parameters.source) is a full fine-tune: it has no adapter; export --to gguf or hf")
            }
            var adapter = try LoRAAdapter(folder: adapterPath)
            try checkFits(adapter, basePath: source.basePath)
            adapter.config.baseModel = source.baseModelID ?? adapter.config.baseModel
            if adapter.config.baseModel == nil {
                notes.append(
                    "base_model_name_or_path is unset: the base \(source.basePath) has no known Hugging Face id; "
                        + "pass the base model yourself to PeftModel.from_pretrained")
            }
            progress(ExportProgress(step: "writing \(out)", completed: 0, total: 1))
            try adapter.write(to: out)
            progress(ExportProgress(step: "done", completed: 1, total: 1))
        case .gguf, .hf:
            let temporary = try source.fullCheckpointWeights.map { try checkpointFolder(weights: $0, basePath: source.basePath) }
            defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
            let modelPath = temporary ?? source.fullModelPath ?? source.basePath
            progress(ExportProgress(step: "loading \(source.fullCheckpointWeights ?? modelPath)", completed: 0, total: 1))
            var model = try LanguageModel(path: modelPath, precision: .native)
            if let adapterPath = source.adapterPath { model = try model.applying(LoRAAdapter(folder: adapterPath)) }
            if parameters.format == .gguf {
                // A checkpoint's temporary folder would otherwise name the model.
                let name = source.fullCheckpointWeights.map { _ in
                    URL(fileURLWithPath: parameters.source).standardizedFileURL.lastPathComponent + "-" + parameters.checkpoint
                }
                try GGUFExport.write(model, type: parameters.type, to: out, name: name, progress: progress)
            } else {
                let result = try HuggingFaceExport.write(
                    model, to: out, origin: source.fullCheckpointWeights, progress: progress)
                notes += result.missing.map { "missing \($0)" }
            }
        }
        return Outcome(path: out, notes: notes)
    }

    /// A temporary Hugging Face folder for a full fine-tune's checkpoint: its `weights.safetensors`
    /// (linked, not copied) with the base's config and tokenizer. The caller removes it.
    static func checkpointFolder(weights: String, basePath: String) throws -> String {
        let manager = FileManager.default
        let folder = NSTemporaryDirectory() + "clarifycoder-export-" + UUID().uuidString
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            try manager.createSymbolicLink(
                atPath: folder + "/model.safetensors", withDestinationPath: URL(fileURLWithPath: weights).standardizedFileURL.path)
            var result = HuggingFaceExport.Result(files: [], missing: [])
            try HuggingFaceExport.writeMetadata(
                base: basePath, config: try openCheckpoint(at: basePath).config, to: folder, result: &result)
            guard result.missing.isEmpty else {
                throw ExportError("\(weights): cannot be read without the base's " + result.missing.joined(separator: "; "))
            }
        } catch {
            try? manager.removeItem(atPath: folder)
            throw error
        }
        return folder
    }

    /// Checks every adapted module exists in the base with matching shapes, reading only shapes.
    static func checkFits(_ adapter: LoRAAdapter, basePath: String) throws {
        let checkpoint = try openCheckpoint(at: basePath)
        for (path, pair) in adapter.modules.sorted(by: { $0.key < $1.key }) {
            _ = try TransformerWeights.locate(path, layerCount: checkpoint.config.layerCount)
            let shape = try checkpoint.shape(of: path + ".weight")
            guard shape == [pair.outFeatures, pair.inFeatures] else {
                throw LoRAAdapterError(
                    "adapter module \(path): update is \(pair.outFeatures)×\(pair.inFeatures) but the base weight in "
                        + "\(basePath) is \(shape[0])×\(shape.count > 1 ? shape[1] : 1); "
                        + "was it trained for another model?")
            }
        }
    }
}
