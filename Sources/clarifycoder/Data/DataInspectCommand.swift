import ArgumentParser
import ClarifyCore
import Foundation

/// `clarifycoder data inspect PATH`: validates a dataset file and summarises it.
struct DataInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Validate a dataset file and print a summary (records, variants, tests, coverage, errors).",
        discussion: "Reads .jsonl or .jsonl.gz in one streaming pass, so files of any size are fine."
    )

    @Argument(help: "The dataset file (.jsonl or .jsonl.gz).")
    var path: String

    @Option(help: "auto (detect from the first record), humaneval, humanevalcomm, mbpp, apps, chat, sharegpt, alpaca or problem.")
    var format: FormatChoice = .auto

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @OptionGroup var read: ReadOptions

    func run() throws {
        let summary: DatasetSummary
        do {
            summary = try DatasetSummary.inspect(path: path, format: format.format, options: read.jsonl)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(SummaryTable.render(summary))
        }
        reportSkipped(summary.stats)
    }
}

/// The human-readable form of a ``DatasetSummary``: aligned `label  value` rows.
enum SummaryTable {
    static func render(_ summary: DatasetSummary) -> String {
        var rows: [(String, String)] = [
            ("file", summary.path),
            ("format", summary.format.rawValue),
            (summary.format.holdsDialogues ? "dialogues" : "problems", String(summary.records)),
            ("lines", "\(summary.stats.lines) (\(summary.stats.blankLines) blank, \(summary.stats.skipped) skipped)"),
        ]
        if summary.stats.byteOrderMark { rows.append(("byte-order mark", "yes (stripped)")) }
        if summary.duplicateIds > 0 { rows.append(("duplicate ids", String(summary.duplicateIds))) }
        if summary.format.holdsDialogues {
            rows.append(("messages/dialogue", distribution(summary.messagesPerDialogue)))
        } else {
            rows.append(("tests/problem", distribution(summary.testsPerProblem)))
            rows.append(("test forms", counts(summary.testForms)))
            if !summary.testRelations.isEmpty { rows.append(("test relations", counts(summary.testRelations))) }
            let variants = ClarificationCategory.allCases.compactMap { category in
                summary.variantsPerCategory[category.rawValue].map { "\(category.rawValue): \($0)" }
            }
            let total = summary.variantsPerCategory.values.reduce(0, +)
            rows.append(("variants", variants.isEmpty ? "none" : "\(total) (" + variants.joined(separator: ", ") + ")"))
        }
        let coverage = summary.fieldCoverage.keys.sorted().map { key in
            "\(key) \(summary.fieldCoverage[key]!)/\(summary.records)"
        }
        rows.append(("field coverage", coverage.isEmpty ? "none" : coverage.joined(separator: ", ")))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }

    private static func distribution(_ value: DatasetSummary.Distribution) -> String {
        guard let min = value.min, let max = value.max else { return "none" }
        return "min \(min), mean \(String(format: "%.1f", value.mean)), max \(max), total \(value.total)"
    }

    private static func counts(_ values: [String: Int]) -> String {
        values.keys.sorted().map { "\($0): \(values[$0]!)" }.joined(separator: ", ")
    }
}
