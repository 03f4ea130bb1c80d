import ArgumentParser
import ClarifyCore
import Foundation
import LLM

/// `clarifycoder export`: a training run (or a bare PEFT adapter folder) as a PEFT adapter, a
/// merged GGUF file or a merged Hugging Face folder.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a fine-tuned run as a PEFT adapter, a merged GGUF file or a merged Hugging Face folder.",
        discussion: """
            RUN_DIR is a folder written by `clarifycoder train` (training.json, adapter/, adapter-last/ or \
            model/) or a bare PEFT adapter folder (then name its base with --base unless \
            base_model_name_or_path is a local path or SmolLM2). Outputs default to RUN_DIR/export/: \
            peft/, model-<type>.gguf, hf/.
            """
    )

    @Argument(help: "A training run folder or a PEFT adapter folder.")
    var runDir: String

    @Option(name: .customLong("to"), help: "peft, gguf or hf.")
    var format: String

    @Option(help: "GGUF tensor type: f32, f16 or q8_0 (norms stay f32).")
    var type: String = "f16"

    @Option(help: "Output path (a .gguf file for gguf, a folder otherwise).")
    var out: String?

    @Option(help: "Which adapter of the run: best, last or step-N (a full fine-tune: its final model, or step-N).")
    var checkpoint: String = "best"

    @Option(help: "Base checkpoint: \(ModelArgument.knownNames) or a path (.gguf file or Hugging Face folder); overrides the run's.")
    var base: String?

    func validate() throws {
        guard RunExport.Format(rawValue: format) != nil else {
            throw ValidationError("--to must be peft, gguf or hf, got \(format)")
        }
        guard GGUFExport.types[type] != nil else {
            throw ValidationError("--type must be f32, f16 or q8_0, got \(type)")
        }
        guard
            ["best", "last"].contains(checkpoint)
                || (checkpoint.hasPrefix("step-") && Int(checkpoint.dropFirst(5)) != nil)
        else {
            throw ValidationError("--checkpoint must be best, last or step-N, got \(checkpoint)")
        }
    }

    func run() throws {
        let parameters = RunExport.Parameters(
            source: runDir, format: RunExport.Format(rawValue: format)!, type: GGUFExport.types[type]!, out: out,
            checkpoint: checkpoint, base: base)
        let bar = ExportProgressBar()
        let outcome: RunExport.Outcome
        do {
            outcome = try RunExport.run(parameters) { bar.draw($0) }
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        for note in outcome.notes { printError("note: \(note)") }
        print(outcome.path)
    }
}

/// One redrawn line on standard error: `[#####.....] 12/274 blk.3.attn_q.weight`.
final class ExportProgressBar {
    private var drawn = false
    private let terminal = isatty(STDERR_FILENO) != 0

    func draw(_ progress: ExportProgress) {
        let width = 30
        let filled = progress.total > 0 ? width * progress.completed / progress.total : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "[\(bar)] \(progress.completed)/\(progress.total) \(progress.step)"
        if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            drawn = true
        } else if progress.step.hasPrefix("writing") || progress.step.hasPrefix("loading") {
            printError(line)
        }
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}
