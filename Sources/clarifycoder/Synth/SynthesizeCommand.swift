import ArgumentParser
import ClarifyCore
import Foundation
import Synth

/// `clarifycoder synthesize --problems bank|PATH --out DIR [--kinds …] [--per-problem N] [--seed S] [--resume]`.
struct SynthesizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesize",
        abstract: "Turn clear programming problems into clarification dialogues.",
        discussion: """
            Each problem is rewritten into ambiguous, incomplete or inconsistent variants (and the \
            combinations 2ac, 2ap, 2cp, 3acp with --kinds combos); every variant records what changed, \
            the clarifying questions, the user's answers and the code. DIR receives examples.jsonl, \
            humanevalcomm.jsonl, manifest.json (with quality-control rejection counts) and a README.md \
            dataset card. A killed run continues with --resume and ends with the same files.
            """
    )

    @Option(help: "bank (the built-in problem bank) or a dataset file any loader reads (HumanEval, MBPP, …).")
    var problems: String = "bank"

    @Option(help: "Comma-separated: ambiguous, incomplete, inconsistent, combos, or categories such as 2ap.")
    var kinds: String = "ambiguous,incomplete,inconsistent"

    @Option(help: "The synthesizer: rules (offline).")
    var synthesizer: String = "rules"

    @Option(help: "Variants kept per problem.")
    var perProblem: Int = 3

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(help: "dialogue (confirm, then code) or questions (questions only, as in the paper).")
    var target: DialogueFormat.Target = .confirmThenCode

    @Option(help: "Output directory.")
    var out: String

    @Flag(help: "Continue an interrupted run in --out.")
    var resume = false

    @Option(help: "Stop after this many problems (resume later to finish).")
    var limit: Int?

    func validate() throws {
        guard perProblem > 0 else { throw ValidationError("--per-problem must be at least 1") }
        guard synthesizer == "rules" else {
            throw ValidationError("--synthesizer \(synthesizer) is not available in this build; use rules")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let parameters: SynthesisRun.Parameters
        let input: [Problem]
        do {
            let categories = try SynthesisRun.categories(forKinds: kinds.split(separator: ",").map(String.init))
            input = problems == "bank"
                ? ProblemBank.all.map(\.problem) : try DatasetReader.loadProblems(path: problems).problems
            let command = "clarifycoder " + CommandLine.arguments.dropFirst().filter { $0 != "--resume" }.joined(separator: " ")
            parameters = SynthesisRun.Parameters(
                categories: categories, perProblem: perProblem, seed: seed, outputDirectory: out, resume: resume,
                format: DialogueFormat(target: target), command: command, sourceName: problems, limit: limit)
        } catch {
            throw CommandFailure(error)
        }
        let bar = ProgressLine()
        let manifest: SynthesisManifest
        do {
            manifest = try await SynthesisRun.run(problems: input, synthesizer: RuleBasedSynthesizer(), parameters: parameters) {
                bar.draw(done: $0.problemsDone, total: $0.problemsTotal,
                         detail: "\($0.examplesKept) kept, \($0.rejected) rejected")
            }
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        if manifest.problems < input.count {
            print("stopped after \(manifest.problems) of \(input.count) problems; continue with --resume")
        } else {
            let rejected = manifest.rejections.values.reduce(0, +)
            print("wrote \(manifest.examples) examples from \(manifest.problems) problems to \(out) (\(rejected) rejected by quality control)")
        }
    }
}

extension DialogueFormat.Target: ExpressibleByArgument {}

/// A one-line progress bar on standard error.
final class ProgressLine {
    private var lastDrawn = -1
    private let interactive = isatty(2) != 0

    func draw(done: Int, total: Int, detail: String) {
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastDrawn || done == total else { return }
        lastDrawn = percent
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) \(detail)"
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if percent % 10 == 0 {
            printError(line)
        }
    }

    func finish() {
        if interactive, lastDrawn >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
