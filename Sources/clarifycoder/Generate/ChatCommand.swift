import ArgumentParser
import ClarifyCore
import Foundation
import LLM

/// `clarifycoder chat`: an interactive conversation with a local model. Reads one message per
/// line from standard input (a terminal or a pipe), streams each reply; `/reset` starts over,
/// `/exit` (or end of input) quits.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a local model: one message per line, /reset to start over, /exit to quit."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var decoding: DecodingOptions

    @Option(help: "System message for the conversation.")
    var system: String?

    func run() throws { try modelOptions.budget.run(converse) }

    private func converse() throws {
        let model = try modelOptions.load()
        let interactive = isatty(STDIN_FILENO) != 0
        var messages: [Message] = system.map { [.system($0)] } ?? []
        var turn: UInt64 = 0
        if interactive {
            let adapter = modelOptions.adapter.map { " + adapter \($0)" } ?? ""
            printError("chatting with \(model.path)\(adapter) — /reset to start over, /exit to quit")
        }
        while true {
            if interactive { writeStreamed("> ") }
            guard let line = readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "/exit" || text == "/quit" { break }
            if text == "/reset" {
                messages = system.map { [.system($0)] } ?? []
                if interactive { printError("(conversation reset)") }
                continue
            }
            messages.append(.user(text))
            var parameters = decoding.parameters
            parameters.seed &+= turn
            turn += 1
            do {
                let ids = try model.chatPrompt(messages, template: modelOptions.chatTemplate)
                let result = try model.generate(prompt: ids, parameters: parameters) { piece in
                    writeStreamed(piece)
                    return .more
                }
                writeStreamed("\n")
                messages.append(.assistant(result.text))
            } catch {
                throw CommandFailure(error)
            }
        }
    }
}
