import ArgumentParser
import ClarifyCore
import Foundation

/// `clarifycoder data convert IN OUT --to chat|humaneval`.
struct DataConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a dataset file to chat JSONL or HumanEval JSONL.",
        discussion: """
            chat: each problem becomes user(prompt) → assistant(reference solution). humaneval: \
            tests of any form become a check(candidate) program (stdin/stdout problems cannot). \
            The output is written atomically: it appears only when conversion succeeds.
            """
    )

    @Argument(help: "The input dataset (.jsonl or .jsonl.gz).")
    var input: String

    @Argument(help: "The output JSONL file.")
    var output: String

    @Option(help: "chat or humaneval.")
    var to: ConversionTarget

    @Option(help: "The input format; auto detects it from the first record.")
    var format: FormatChoice = .auto

    @OptionGroup var read: ReadOptions

    func run() throws {
        let report: DatasetConverter.Report
        do {
            report = try DatasetConverter.convert(
                input: input, output: output, from: format.format, to: to, options: read.jsonl)
        } catch {
            throw CommandFailure(error)
        }
        print("wrote \(report.written) \(to.rawValue) record(s) from \(report.from.rawValue) to \(output)")
        reportSkipped(report.stats)
    }
}
