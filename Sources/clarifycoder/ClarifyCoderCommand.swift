import ArgumentParser
import ClarifyCore
import Foundation

@main
struct ClarifyCoderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clarifycoder",
        abstract: "Make code language models ask before they code when a request is unclear.",
        version: ClarifyCoderVersion.current,
        subcommands: [
            DataCommand.self, SynthesizeCommand.self, MixCommand.self, GenerateCommand.self, ChatCommand.self,
            ExecuteCommand.self, AskCommand.self, ProblemsCommand.self, EvalCommand.self, TrainCommand.self,
            ExportCommand.self, ReportCommand.self, PipelineCommand.self, ModelsCommand.self, ServeCommand.self,
            GradeCommand.self,
        ]
    )

    /// ArgumentParser's own loop, except for usage mistakes found while running (a run folder that
    /// holds another run, an unknown setting): they exit 64 like the ones `validate()` finds, with
    /// their message alone — the generic usage line it would add is the root command's, not theirs.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }
}
