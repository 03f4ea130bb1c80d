import ClarifyCore
import Foundation

/// What an export reads: a training run folder or a bare PEFT adapter folder, resolved to the
/// base checkpoint and the adapter (or fully fine-tuned model) to write out.
///
/// A run folder (written by `clarifycoder train`) holds `training.json` — at least `model` (the
/// base checkpoint path, or a known model name), `base_model_id`, `full_fine_tune` — and `adapter/` (best
/// checkpoint), `adapter-last/`, or for full fine-tuning `model/` (a Hugging Face folder).
public struct ExportSource: Sendable {
    /// The base checkpoint: a `.gguf` file or a Hugging Face folder.
    public var basePath: String
    /// The adapter folder, nil for a full fine-tune.
    public var adapterPath: String?
    /// The fully fine-tuned model folder (`RUN_DIR/model`), nil for LoRA and for a full fine-tune's
    /// `step-N`.
    public var fullModelPath: String?
    /// A full fine-tune's `step-N`: the checkpoint's `weights.safetensors` (every weight, under the
    /// `transformers` names), read with the base's config and tokenizer; also `model/model.safetensors`
    /// of a run whose `model/` has no tokenizer (written from a GGUF base before it carried one).
    public var fullCheckpointWeights: String?
    /// The Hugging Face id of the base, for PEFT's `base_model_name_or_path`.
    public var baseModelID: String?
    /// Where default outputs go: `RUN_DIR/export` (or `PEFT_DIR/export`).
    public var exportFolder: String

    /// Resolves `folder`. `checkpoint` is `best`, `last` or `step-N`; `base` (a path or a known name)
    /// overrides the run's base or supplies a bare adapter's. Errors say what is missing and how to fix it.
    public init(folder: String, checkpoint: String = "best", base: String? = nil) throws {
        let manager = FileManager.default
        let folder = (folder as NSString).standardizingPath
        exportFolder = folder + "/export"
        let runFile = folder + "/training.json"
        if let data = manager.contents(atPath: runFile) {
            guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ExportError("\(runFile): not a JSON object")
            }
            guard let model = base ?? json["model"] as? String else {
                throw ExportError("\(runFile): model: missing (the base checkpoint path); pass --base PATH")
            }
            basePath = try Self.resolveBase(model)
            baseModelID = json["base_model_id"] as? String ?? Self.knownID(basePath)
            if json["full_fine_tune"] as? Bool == true {
                adapterPath = nil
                (fullModelPath, fullCheckpointWeights) = try Self.fullModel(run: folder, checkpoint: checkpoint)
            } else {
                adapterPath = try Self.adapterFolder(run: folder, checkpoint: checkpoint)
                fullModelPath = nil
                fullCheckpointWeights = nil
            }
        } else if manager.fileExists(atPath: folder + "/adapter_config.json") {
            adapterPath = folder
            fullModelPath = nil
            fullCheckpointWeights = nil
            let declared = (try? LoRAAdapter(folder: folder))?.config.baseModel
            if let base {
                basePath = try Self.resolveBase(base)
            } else if let declared, manager.fileExists(atPath: declared) {
                basePath = declared
            } else if let declared, let known = KnownModel(huggingFaceID: declared) {
                basePath = try Self.resolveBase(known.rawValue)
            } else {
                throw ExportError(
                    "\(folder): the adapter's base \(declared.map { "'\($0)'" } ?? "(none)") is not a local "
                        + "checkpoint; pass --base PATH (a .gguf file or Hugging Face folder) or a known name ("
                        + KnownModel.names.joined(separator: ", ") + ")")
            }
            baseModelID = declared.flatMap { manager.fileExists(atPath: $0) ? nil : $0 } ?? Self.knownID(basePath)
        } else {
            throw ExportError(
                "\(folder): neither a training run (no training.json) nor a PEFT adapter folder "
                    + "(no adapter_config.json)")
        }
    }

    /// A known name → its cached file; a path must exist (``ModelSpec``).
    static func resolveBase(_ base: String) throws -> String {
        do {
            return try ModelSpec(parsing: base).localPath(role: "the base checkpoint")
        } catch {
            throw ExportError("base checkpoint: \(error)")
        }
    }

    /// The Hugging Face id of a base we recognise (a known model's cached file), else nil.
    static func knownID(_ path: String) -> String? {
        KnownModel(cachedPath: path)?.huggingFaceID
    }

    /// A full fine-tune keeps one model, its final weights: `best` and `last` are both `model/`
    /// (written when the run ends); `step-N` is the checkpoint's `weights.safetensors`. Weights
    /// without a tokenizer beside them are returned as `weights`, to be read with the base's.
    static func fullModel(run: String, checkpoint: String) throws -> (folder: String?, weights: String?) {
        let manager = FileManager.default
        let steps = TrainingCheckpoint.steps(in: run + "/checkpoints")
        let available = steps.isEmpty ? "none" : steps.map { "step-\($0)" }.joined(separator: ", ")
        if checkpoint == "best" || checkpoint == "last" {
            guard manager.fileExists(atPath: run + "/model/config.json") else {
                throw ExportError(
                    "\(run)/model: no fine-tuned model here (expected config.json and safetensors) — a full fine-tune "
                        + "writes it when the run ends; export a checkpoint with --checkpoint step-N (here: \(available))")
            }
            // Written before model/ carried its tokenizer (a GGUF base): read it as a checkpoint is read.
            guard manager.fileExists(atPath: run + "/model/tokenizer.json") else { return (nil, run + "/model/model.safetensors") }
            return (run + "/model", nil)
        }
        guard checkpoint.hasPrefix("step-"), let step = Int(checkpoint.dropFirst(5)) else {
            throw ExportError("--checkpoint must be best, last or step-N, got \(checkpoint)")
        }
        let weights = run + "/checkpoints/" + TrainingCheckpoint.name(step: step) + "/weights.safetensors"
        guard manager.fileExists(atPath: weights) else {
            throw ExportError("\(run): no \(checkpoint) checkpoint (looked for \(weights); checkpoints here: \(available))")
        }
        return (nil, weights)
    }

    /// `best` → `adapter/`, `last` → `adapter-last/`, `step-N` → the step's checkpoint folder.
    static func adapterFolder(run: String, checkpoint: String) throws -> String {
        let manager = FileManager.default
        var candidates: [String]
        switch checkpoint {
        case "best": candidates = [run + "/adapter"]
        case "last": candidates = [run + "/adapter-last"]
        default:
            guard checkpoint.hasPrefix("step-"), Int(checkpoint.dropFirst(5)) != nil else {
                throw ExportError("--checkpoint must be best, last or step-N, got \(checkpoint)")
            }
            candidates = [
                "/checkpoints/\(checkpoint)/adapter", "/checkpoints/\(checkpoint)", "/\(checkpoint)/adapter",
                "/\(checkpoint)",
            ]
            .map { run + $0 }
        }
        if let found = candidates.first(where: { manager.fileExists(atPath: $0 + "/adapter_config.json") }) {
            return found
        }
        throw ExportError(
            "\(run): no \(checkpoint) adapter (looked for adapter_config.json in "
                + candidates.map { String($0.dropFirst(run.count + 1)) }.joined(separator: ", ") + ")")
    }
}

/// Why an export could not run.
public struct ExportError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
