import Foundation

/// The end-to-end experiment of the ClarifyCoder paper in one call: fetch → synthesize →
/// benchmark → mix → train → evaluate (base and tuned) → report, in a run folder whose
/// `config.yaml` holds the resolved settings and whose `pipeline.json` ledger makes a second
/// run reuse finished stages and a killed run resume (see ``StageRunner``).
public enum Pipeline {
    public struct Options: Sendable {
        public var runDirectory: String
        /// Continue the run in `runDirectory` with its saved config.
        public var resume: Bool
        /// Apply a changed config to an existing run: stages whose settings changed are redone.
        public var update: Bool
        /// The Python that runs pip when assets must be fetched.
        public var python: String

        public init(runDirectory: String, resume: Bool = false, update: Bool = false, python: String = "python3") {
            self.runDirectory = runDirectory
            self.resume = resume
            self.update = update
            self.python = python
        }
    }

    /// The config saved in a run folder, if it has one.
    public static func savedConfig(runDirectory: String) throws(PipelineError) -> PipelineConfig? {
        let path = RunLayout(root: runDirectory).config
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try ConfigFile.load(path: path, over: .savedBase)
    }

    /// Checks `config` against the run folder and saves it as `config.yaml`: a folder holding a run
    /// with other settings is refused unless `update`, naming the keys that differ.
    public static func prepare(_ config: PipelineConfig, options: Options) throws(PipelineError) {
        try config.validate()
        let layout = RunLayout(root: options.runDirectory)
        let saved = try savedConfig(runDirectory: options.runDirectory)
        if saved == nil, options.resume {
            throw PipelineError(
                "\(options.runDirectory) holds no pipeline run to resume (no config.yaml); drop --resume to start one",
                isUsage: true)
        }
        if let saved, saved != config, !options.update {
            let changed = differences(saved, config).prefix(6).joined(separator: "; ")
            throw PipelineError("""
                \(options.runDirectory) holds a pipeline run with other settings (\(changed)); pass --resume to continue \
                it with its own config, --update to redo the stages whose settings changed, or choose another --out
                """, isUsage: true)
        }
        do {
            try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
            try Data(config.yaml.utf8).write(to: URL(fileURLWithPath: layout.config), options: .atomic)
        } catch { throw PipelineError.io(layout.config, error) }
    }

    /// `key: old → new` for each setting that differs.
    public static func differences(_ old: PipelineConfig, _ new: PipelineConfig) -> [String] {
        ConfigField.all.compactMap { field in
            let (before, after) = (field.value(in: old), field.value(in: new))
            return before == after ? nil : "\(field.key): \(before) → \(after)"
        }
    }

    /// The stages of a run of `config`, in order.
    public static func stages(_ config: PipelineConfig, options: Options) -> [Stage] {
        let layout = RunLayout(root: options.runDirectory)
        return [
            DataStages.fetch(assets: DataStages.assets(config), python: options.python),
            DataStages.synthesize(config, layout: layout),
            DataStages.benchmark(config, layout: layout),
            DataStages.mix(config, layout: layout),
            TrainStage.stage(config, layout: layout),
            EvaluateStage.stage(config, layout: layout, tuned: false),
            EvaluateStage.stage(config, layout: layout, tuned: true),
            ReportStage.stage(config, layout: layout),
        ]
    }

    /// Prepares the folder and runs every stage, reusing and resuming as the ledger allows.
    @discardableResult
    public static func run(
        _ config: PipelineConfig, options: Options, progress: @escaping @Sendable (PipelineProgress) -> Void = { _ in }
    ) async throws -> StageRunner.Outcome {
        try prepare(config, options: options)
        let runner = StageRunner(runDirectory: options.runDirectory, stages: stages(config, options: options))
        return try await runner.run(progress: progress)
    }
}
