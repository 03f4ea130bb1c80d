import ArgumentParser
import ClarifyCore
import Foundation
import LLM

/// `clarifycoder generate`: one completion, streamed to standard output.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Complete a prompt with a local model, streaming the text.",
        discussion: """
            Without --chat the prompt is continued as raw text; with --chat it is sent as a user \
            message in the model's chat format. Timings go to standard error with --verbose.
            """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var decoding: DecodingOptions

    @Option(help: "The prompt text.")
    var prompt: String

    @Flag(help: "Send the prompt as a user message in the model's chat format.")
    var chat = false

    @Option(help: "System message (with --chat).")
    var system: String?

    @Flag(help: "Print token counts and speeds to standard error.")
    var verbose = false

    func run() throws { try modelOptions.budget.run(generate) }

    private func generate() throws {
        let model = try modelOptions.load()
        let ids: [Int]
        do {
            if chat {
                var messages: [Message] = []
                if let system { messages.append(.system(system)) }
                messages.append(.user(prompt))
                ids = try model.chatPrompt(messages, template: modelOptions.chatTemplate)
            } else {
                ids = model.tokenizer.encode(prompt)
            }
            let result = try model.generate(prompt: ids, parameters: decoding.parameters) { piece in
                writeStreamed(piece)
                return .more
            }
            writeStreamed("\n")
            if verbose {
                let t = result.timings
                printError(
                    "prompt \(result.promptTokenCount) tokens, \(result.tokens.count) generated "
                        + "(\(result.finishReason.rawValue)); prefill "
                        + String(format: "%.1f", t.prefillTokensPerSecond) + " tokens/s, decode "
                        + String(format: "%.1f", t.decodeTokensPerSecond) + " tokens/s")
            }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(error)
        }
    }
}
