import ArgumentParser
import Foundation
import Pipeline

/// `clarifycoder pipeline [--config FILE] [--quick] --out RUN_DIR [--resume] [--update] [flags] [--set KEY=VALUE …]`:
/// the whole experiment — synthesize, mix, fine-tune, evaluate base and tuned, report.
struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Synthesize clarification data, fine-tune, evaluate before and after, and write a report.",
        discussion: """
            Stages: fetch → synthesize → benchmark → mix → train → evaluate-base → evaluate-tuned → report, each \
            in its own folder of RUN_DIR. Settings come from the preset (default, or --quick), then --config \
            FILE (YAML; keys in docs/pipeline.md), then the flags below and --set KEY=VALUE; the resolved \
            config is saved as RUN_DIR/config.yaml. Running again with the same settings reuses finished \
            stages; a killed run continues with --resume (an interrupted stage resumes where it stopped). \
            The report is RUN_DIR/report/report.html and report.md.
            """
    )

    @Option(help: "A YAML config file (see docs/pipeline.md for every key).")
    var config: String?

    @Flag(help: "The small configuration (minutes, CI's smoke test) instead of the default experiment.")
    var quick = false

    @Option(help: "The run folder.")
    var out: String = "runs/pipeline"

    @Flag(help: "Print the resolved config as YAML and exit (a starting point for --config).")
    var printConfig = false

    @Flag(help: "Continue the run in --out with its saved config.yaml.")
    var resume = false

    @Flag(help: "Apply changed settings to the run in --out: stages whose settings changed are redone.")
    var update = false

    @Option(help: "Seed of every random choice (seed).")
    var seed: UInt64?

    @Option(help: "Synthesize with an LLM: openai:NAME (synthesis.model; sets synthesis.synthesizer to llm).")
    var synthModel: String?

    @Option(help: "The endpoint of --synth-model (synthesis.base_url).")
    var synthBaseURL: String?

    @Option(help: "A HumanEvalComm JSONL file as the clarification benchmark (eval.humanevalcomm).")
    var humanevalcomm: String?

    @Option(help: "heuristic, local:[NAME|PATH][:VARIANT] or openai:NAME (eval.evaluator).")
    var evaluator: String?

    @Option(help: "The endpoint of an openai:NAME evaluator (eval.base_url).")
    var evalBaseURL: String?

    @Option(help: "original:clarify parts of the training mixture (mix.ratio).")
    var ratio: String?

    @Option(help: "Optimizer steps (train.steps).")
    var steps: Int?

    @Option(help: "Peak learning rate (train.lr).")
    var lr: Double?

    @Option(help: "Threads for training and inference (train.threads, eval.threads).")
    var threads: Int?

    @Option(name: .customLong("set"), parsing: .singleValue, help: "Any setting as KEY=VALUE, e.g. train.lora_r=8 (repeatable).")
    var assignments: [String] = []

    @Option(help: "The Python that runs pip when the embedded assets must be fetched.")
    var python = "python3"

    func validate() throws {
        if resume {
            guard config == nil, !quick, flagAssignments.isEmpty, assignments.isEmpty, !update else {
                throw ValidationError("--resume continues the run with its saved config.yaml; it takes no --config, --quick, --update or settings")
            }
        }
        if update, !FileManager.default.fileExists(atPath: out + "/config.yaml") {
            throw ValidationError("--update needs a run in \(out); there is no \(out)/config.yaml")
        }
    }

    /// The named flags as `key=value` assignments, applied before `--set`.
    var flagAssignments: [String] {
        var result: [String] = []
        if let seed { result.append("seed=\(seed)") }
        if let synthModel { result += ["synthesis.synthesizer=llm", "synthesis.model=\(synthModel)"] }
        if let synthBaseURL { result.append("synthesis.base_url=\(synthBaseURL)") }
        if let humanevalcomm { result.append("eval.humanevalcomm=\(humanevalcomm)") }
        if let evaluator { result.append("eval.evaluator=\(evaluator)") }
        if let evalBaseURL { result.append("eval.base_url=\(evalBaseURL)") }
        if let ratio { result.append("mix.ratio=\(ratio)") }
        if let steps { result.append("train.steps=\(steps)") }
        if let lr { result.append("train.lr=\(lr)") }
        if let threads { result += ["train.threads=\(threads)", "eval.threads=\(threads)"] }
        return result
    }

    /// Preset, then the file, then the flags.
    func resolvedConfig() throws -> PipelineConfig {
        if resume {
            guard let saved = try Pipeline.savedConfig(runDirectory: out) else {
                throw PipelineError(
                    "\(out) holds no pipeline run to resume (no config.yaml); drop --resume to start one", isUsage: true)
            }
            return saved
        }
        var resolved = quick ? PipelineConfig.quick : PipelineConfig.standard
        if let config { resolved = try ConfigFile.load(path: config, over: resolved) }
        return try ConfigFile.override(resolved, with: flagAssignments + assignments)
    }

    /// The resolved and checked config; a bad key, value or file is a usage error (exit 64).
    func checkedConfig() throws -> PipelineConfig {
        do {
            let config = try resolvedConfig()
            try config.validate()
            return config
        } catch let error as PipelineError where error.isUsage {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let config = try checkedConfig()
        if printConfig {
            print(config.yaml, terminator: "")
            return
        }
        let options = Pipeline.Options(runDirectory: out, resume: resume, update: update, python: python)
        let renderer = PipelineProgressRenderer()
        let outcome: StageRunner.Outcome
        do {
            printError("run folder \(out); settings in \(out)/config.yaml")
            outcome = try await Pipeline.run(config, options: options) { renderer.render($0) }
        } catch let error as PipelineError where error.isUsage {
            renderer.finish()
            throw ValidationError(error.description)
        } catch {
            renderer.finish()
            throw CommandFailure(message: "\(error)" + resumeHint(for: config))
        }
        renderer.finish()
        let total = outcome.ledger.order.compactMap { outcome.ledger.stages[$0]?.seconds }.reduce(0, +)
        print("pipeline finished in \(PipelineProgressRenderer.duration(total)) of stage time: "
            + "\(outcome.ran.count) ran, \(outcome.resumed.count) resumed, \(outcome.reused.count) reused")
        let summary = RunLayout(root: out).report + "/summary.md"
        if let text = try? String(contentsOfFile: summary, encoding: .utf8) { print(text) }
        print("report: \(RunLayout(root: out).report)/report.html")
    }
}

extension PipelineCommand {
    /// The `--resume` line after a failed run, only where `--resume` would continue it: the run
    /// folder holds this very config (so the failure came from a stage, not from the settings).
    /// Offered anywhere else, it led to "no run to resume" or to the same error again.
    func resumeHint(for config: PipelineConfig) -> String {
        guard let saved = try? Pipeline.savedConfig(runDirectory: out), saved == config else { return "" }
        return "\nThe run can be continued with: clarifycoder pipeline --out \(out) --resume"
    }
}

/// Draws the pipeline's progress on standard error: a line per stage start and end, and a live
/// bar for the current stage with the overall ETA (only redrawn in a terminal; a log gets a line
/// per 10% of a stage).
final class PipelineProgressRenderer: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive = isatty(2) != 0
    private var lastDecile = -1
    private var drawn = false

    func render(_ progress: PipelineProgress) {
        lock.withLock {
            let head = "[\(progress.index)/\(progress.count) \(progress.stage)]"
            switch progress.event {
            case .reused:
                line("\(head) \(progress.title): reused")
            case .started(let resuming):
                lastDecile = -1
                line("\(head) \(progress.title)\(resuming ? " (resuming)" : "") — ETA \(Self.duration(progress.eta))")
            case .finished(let seconds):
                line("\(head) done in \(Self.duration(seconds)) — ETA \(Self.duration(progress.eta))")
            case .advanced:
                let percent = Int(progress.stageFraction * 100)
                let width = 24
                let filled = Int(progress.stageFraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                let text = "\(head) [\(bar)] \(percent)% \(progress.detail) — ETA \(Self.duration(progress.eta))"
                if interactive {
                    FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
                    drawn = true
                } else if percent / 10 != lastDecile {
                    lastDecile = percent / 10
                    printError(text)
                }
            }
        }
    }

    private func line(_ text: String) {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
        printError(text)
    }

    func finish() {
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
            drawn = false
        }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}
