import ArgumentParser
import ClarifyCore
import Foundation
import Synth

/// `clarifycoder mix DIR… --ratio 40:60 --out DIR [--seed S] [--val-fraction F] [--stages N] [--format …] [--on-error fail|skip]`.
struct MixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mix",
        abstract: "Build train/validation sets mixing clear (code) and clarify examples.",
        discussion: """
            Reads examples.jsonl of each synthesis DIR. Writes train.jsonl and validation.jsonl (problems \
            held out by id), stage1.train.jsonl (code only) with --stages 2, and manifest.json with the \
            stage schedule the trainer reads.
            """
    )

    @Argument(help: "Directories written by `clarifycoder synthesize`.")
    var inputs: [String]

    @Option(help: "original:clarify parts, e.g. 40:60.")
    var ratio: String = "40:60"

    @Option(help: "Output directory.")
    var out: String

    @Option(help: "Seed of the split, selection and shuffles.")
    var seed: UInt64 = 0

    @Option(help: "Share of problems held out for validation.")
    var valFraction: Double = 0.1

    @Option(help: "1: one mixed stage; 2: stage 1 code only, then stage 2 mixed.")
    var stages: Int = 1

    @Option(help: "chat, sharegpt or alpaca.")
    var format: ExportFormat = .chat

    @Option(help: "dialogue (confirm, then code) or questions (questions only).")
    var target: DialogueFormat.Target = .confirmThenCode

    @Flag(help: "Open every first answer with a decision sentence: 'The requirements are clear.' before code, 'The requirements are unclear.' before questions.")
    var confirmClear = false

    @Flag(inversion: .prefixedNo, help: "Code answers repeat the function's docstring (--no-docstrings: signature and body only).")
    var docstrings = true

    @OptionGroup var read: ReadOptions

    func validate() throws {
        guard parsedRatio != nil else { throw ValidationError("--ratio must look like 40:60") }
        guard (0..<1).contains(valFraction) else { throw ValidationError("--val-fraction must be in [0, 1)") }
        guard (1...2).contains(stages) else { throw ValidationError("--stages must be 1 or 2") }
    }

    var parsedRatio: (original: Int, clarify: Int)? {
        let parts = ratio.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 >= 0 }), parts[0] + parts[1] > 0 else { return nil }
        return (parts[0], parts[1])
    }

    func run() throws {
        let parameters = Mixture.Parameters(
            ratio: parsedRatio!, seed: seed, validationFraction: valFraction, stages: stages, format: format,
            dialogue: DialogueFormat(target: target, confirmClear: confirmClear, docstrings: docstrings), outputDirectory: out,
            command: "clarifycoder " + CommandLine.arguments.dropFirst().joined(separator: " "))
        let manifest: MixtureManifest
        let stats: JSONLStats
        do {
            let input = try Mixture.readExamples(inputs: inputs, options: read.jsonl)
            stats = input.stats
            manifest = try Mixture.write(examples: input.examples, parameters: parameters)
        } catch {
            throw CommandFailure(error)
        }
        reportSkipped(stats)
        for split in ["train", "validation"] {
            if let s = manifest.splits[split] {
                print("\(split): \(s.examples) examples (\(s.original) original) in \(out)/\(s.file)")
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
