import ArgumentParser
import ClarifyCore

@main
struct ClarifyCoderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clarifycoder",
        abstract: "Make code language models ask before they code when a request is unclear.",
        version: ClarifyCoderVersion.current,
        subcommands: [
            DataCommand.self, SynthesizeCommand.self, MixCommand.self, GenerateCommand.self, ChatCommand.self,
            ExecuteCommand.self, AskCommand.self, EvalCommand.self, TrainCommand.self, ExportCommand.self,
            ReportCommand.self, PipelineCommand.self,
        ]
    )
}
