import ArgumentParser
import ClarifyCore
import Foundation

/// `clarifycoder data …`: the embedded assets and dataset files.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Fetch the models and benchmark; inspect and convert dataset files.",
        subcommands: [DataFetchCommand.self, DataPathCommand.self, DataInspectCommand.self, DataConvertCommand.self]
    )
}

/// Options every command that reads JSONL shares.
struct ReadOptions: ParsableArguments {
    @Option(help: "What to do with a bad line: fail (stop at the first) or skip (count and list it).")
    var onError: OnError = .fail

    @Option(name: .customLong("max-line-mib"), help: "Longest accepted line, in MiB.")
    var maxLineMiB: Int = 256

    /// The spelling ArgumentParser derived from the property name before the option was named,
    /// kept so scripts that used it still run.
    @Option(name: .customLong("max-line-mi-b"), help: .hidden)
    var legacyMaxLineMiB: Int?

    func validate() throws {
        guard lineLimitMiB > 0 else { throw ValidationError("--max-line-mib must be positive") }
    }

    var lineLimitMiB: Int { legacyMaxLineMiB ?? maxLineMiB }

    var jsonl: JSONLReadOptions { JSONLReadOptions(onError: onError, maxLineBytes: lineLimitMiB << 20) }
}

extension OnError: ExpressibleByArgument {}
extension Asset: ExpressibleByArgument {
    /// The asset's name, or `smollm2` for `model` (the name the model has everywhere else).
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { Asset.fetchNames }
}
extension ConversionTarget: ExpressibleByArgument {}

/// `--format auto|humaneval|…`: `auto` detects from the first record.
enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, humaneval, humanevalcomm, mbpp, apps, chat, sharegpt, alpaca, problem

    var format: DatasetFormat? { DatasetFormat(rawValue: rawValue) }
}

/// A library error, shown as its own message (it already names the file, line and field).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) { description = String(describing: error) }
    init(message: String) { description = message }
}

/// Writes to standard error (progress and warnings never mix with data on standard output).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Lists skipped lines under `--on-error skip`, so none is lost silently.
func reportSkipped(_ stats: JSONLStats) {
    guard stats.skipped > 0 else { return }
    printError("skipped \(stats.skipped) bad line(s):")
    for error in stats.errors { printError("  \(error)") }
    if stats.errors.count < stats.skipped { printError("  … and \(stats.skipped - stats.errors.count) more") }
}
