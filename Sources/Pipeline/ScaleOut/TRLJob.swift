import ClarifyCore
import Foundation
import LLM

/// Scale-out: the same fine-tuning as `clarifycoder train`, written as a job for Hugging Face TRL
/// (`SFTTrainer` + PEFT LoRA) and `accelerate`, to run on GPUs — one, several (DDP), sharded
/// (FSDP, DeepSpeed ZeRO-3). Nothing here trains: it writes a self-contained folder,
///
/// ```
/// DIR/README.md            how to run it, what maps to what, what is not carried over
/// DIR/job.json             every setting (PEFT / SFTConfig names), read by train.py
/// DIR/train.py             TRL SFTTrainer + PEFT LoRA
/// DIR/launch.sh            accelerate launch with one of the configs below
/// DIR/accelerate/*.yaml    single_gpu, multi_gpu (DDP), fsdp, deepspeed_zero3, cpu
/// DIR/requirements.txt
/// DIR/dataset/             a `datasets`-loadable folder: data/<split>.jsonl ({"messages": […]}) + README.md card
/// ```
///
/// and the run writes `output/adapter/` — a PEFT folder that `clarifycoder eval --adapter` and
/// `clarifycoder export` read. The settings come from the one ``TrainingParameters`` value the
/// local trainer takes; what TRL cannot express is listed, never silently dropped (``Emitted/warnings``).
public enum TRLJob {
    /// What was written.
    public struct Emitted: Sendable {
        public var directory: String
        /// The Hugging Face model the job fine-tunes.
        public var model: String
        /// Files written, relative to ``directory``, sorted.
        public var files: [String]
        /// Settings of ours the job does not carry over as they are (also in README.md and job.json).
        public var warnings: [String]
        /// Examples per stage and in validation, as written.
        public var examples: [String: Int]
        /// Where the adapter will be, once the job has run.
        public var adapter: String
    }

    /// The Hugging Face id that matches a local model: `hfModel` when given, the known model's
    /// upstream id (`qwen2.5-coder-0.5b` → `Qwen/Qwen2.5-Coder-0.5B-Instruct`), or a Hugging Face
    /// folder's own path (`from_pretrained` loads a folder). A GGUF file has no Hugging Face twin we
    /// could name: the error says to pass one.
    public static func huggingFaceModel(
        for model: String, hfModel: String?, option: String = "--hf-model"
    ) throws -> String {
        if let hfModel {
            guard !hfModel.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw TRLJobError(
                    "\(option): empty; give a Hugging Face model id such as Qwen/Qwen2.5-Coder-0.5B-Instruct")
            }
            return hfModel
        }
        let spec: ModelSpec
        do { spec = try ModelSpec(parsing: model) } catch { throw TRLJobError("\(model): \(error)") }
        if let id = spec.huggingFaceID { return id }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue,
            FileManager.default.fileExists(atPath: model + "/config.json")
        {
            return URL(fileURLWithPath: model).standardizedFileURL.path
        }
        throw TRLJobError(
            "\(model): TRL trains a Hugging Face model, and this one has no known Hugging Face id; pass \(option) ID "
                + "(e.g. \(KnownModel.allCases.map(\.huggingFaceID).joined(separator: ", ")))")
    }

    /// Writes the job for `parameters` into `directory`, which must not exist or be empty. The files
    /// appear whole: they are written into a sibling folder that is renamed at the end.
    ///
    /// - Parameters:
    ///   - model: the Hugging Face id or folder (``huggingFaceModel(for:hfModel:option:)``).
    ///   - outputDirectory: where the run writes (relative to the job folder unless absolute).
    @discardableResult
    public static func emit(
        _ parameters: TrainingParameters, model: String, to directory: String, outputDirectory: String = "output"
    ) throws -> Emitted {
        if parameters.fullFineTune {
            throw TRLJobError(
                "full fine-tuning: the TRL job trains a LoRA adapter; drop --full (or train all weights locally)")
        }
        do { try parameters.validate() } catch { throw TRLJobError("\(error)") }
        let manager = FileManager.default
        if let contents = try? manager.contentsOfDirectory(atPath: directory), !contents.isEmpty {
            throw TRLJobError("\(directory): not empty; choose another folder for the job or remove it")
        }
        let dialogues: TrainingDialogues
        do { dialogues = try TrainingDialogues(parameters) } catch { throw TRLJobError("\(error)") }
        let settings = TRLJobSettings(
            parameters, model: model, localModel: parameters.model, dialogues: dialogues,
            outputDirectory: outputDirectory)

        let target = URL(fileURLWithPath: directory).standardizedFileURL.path
        let staging = target + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? manager.removeItem(atPath: staging)
        var files: [String] = []
        func write(_ relative: String, _ data: Data, executable: Bool = false) throws {
            let path = staging + "/" + relative
            try manager.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path))
            if executable { try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
            files.append(relative)
        }
        do {
            var examples: [String: Int] = [:]
            for (index, stage) in dialogues.stages.enumerated() {
                try write("dataset/data/\(settings.data.stages[index].split).jsonl", try jsonl(stage))
                examples[settings.data.stages[index].split] = stage.dialogues.count
            }
            if let validation = dialogues.validation {
                try write("dataset/data/validation.jsonl", try jsonl(validation))
                examples["validation"] = validation.dialogues.count
            }
            try write("dataset/README.md", Data(TRLJobFiles.datasetCard(settings, dialogues: dialogues).utf8))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try write("job.json", try encoder.encode(settings) + Data("\n".utf8))
            try write("train.py", Data(TRLTrainScript.text.utf8), executable: true)
            try write("launch.sh", Data(TRLJobFiles.launchScript.utf8), executable: true)
            for config in TRLJobFiles.AccelerateConfig.allCases {
                try write("accelerate/\(config.rawValue).yaml", Data(config.yaml.utf8))
            }
            try write("requirements.txt", Data(TRLJobFiles.requirements.utf8))
            try write("README.md", Data(TRLJobFiles.readme(settings).utf8))
            if manager.fileExists(atPath: target) { try manager.removeItem(atPath: target) }
            try manager.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try manager.moveItem(atPath: staging, toPath: target)
            let output = outputDirectory.hasPrefix("/") ? outputDirectory : target + "/" + outputDirectory
            return Emitted(
                directory: target, model: model, files: files.sorted(), warnings: settings.not_carried_over,
                examples: examples, adapter: URL(fileURLWithPath: output + "/adapter").standardizedFileURL.path)
        } catch let error as TRLJobError {
            try? manager.removeItem(atPath: staging)
            throw error
        } catch {
            try? manager.removeItem(atPath: staging)
            throw TRLJobError("\(target): could not write the job: \(error)")
        }
    }

    /// One `{"messages": [{"role", "content"}, …]}` line per dialogue — TRL's conversational format;
    /// with grouping, the group key as `group` (a string or null).
    static func jsonl(_ split: TrainingDialogues.Split) throws -> Data {
        struct Line: Encodable {
            var messages: [Message]
            var group: String?
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(messages, forKey: .messages)
                if let group { try c.encode(group, forKey: .group) }
            }
            enum Keys: String, CodingKey { case messages, group }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data()
        for (index, messages) in split.dialogues.enumerated() {
            out += try encoder.encode(Line(messages: messages, group: split.groups[index]))
            out += Data("\n".utf8)
        }
        return out
    }
}

/// Why a TRL job could not be written: bad settings, no Hugging Face model, unreadable data, a
/// folder in the way. The message names the option, file or line at fault.
public struct TRLJobError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Where fine-tuning runs: here (`clarifycoder train`'s own trainer) or as a Hugging Face TRL job
/// written for GPUs (``TRLJob``). `train --backend` and the pipeline's `train.backend`.
public enum TrainBackend: String, CaseIterable, Codable, Sendable {
    case local, trl
}
