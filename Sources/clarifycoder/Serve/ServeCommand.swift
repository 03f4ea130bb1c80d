import ArgumentParser
import ClarifyCore
import Foundation
import LLM
import Server
import Tensor

/// `clarifycoder serve`: the local engine behind an OpenAI-compatible HTTP API, with a chat page.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a local model (and LoRA adapters) over an OpenAI-compatible HTTP API, with a chat page at /.",
        discussion: """
            Routes: POST /v1/chat/completions and /v1/completions (streamed with "stream": true), GET /v1/models, \
            /health, /metrics (Prometheus) and / (the chat page). A request's "model" picks the base model (named \
            as --model gives it) or an adapter by its NAME. Stop with Ctrl-C.
            """
    )

    @Option(help: "The model: \(ModelArgument.knownNames), a .gguf file or a Hugging Face folder.")
    var model: String = "smollm2"

    @Option(
        name: .customLong("adapter"),
        help: "A LoRA adapter folder (PEFT) to serve as NAME=DIR, or DIR (named after the folder); repeatable.")
    var adapters: [String] = []

    @Option(help: "Address to listen on (loopback by default; 0.0.0.0 opens the server to the network).")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Sequences decoded together per model (continuous batching); more requests wait in a queue.")
    var parallel: Int = 16

    @Option(name: .customLong("api-key"), help: "Require `Authorization: Bearer KEY` on /v1/* and /metrics.")
    var apiKey: String?

    @Option(name: .customLong("max-body"), help: "Largest request body accepted (bytes, or with KiB/MiB).")
    var maxBody: String = "1MiB"

    @Option(help: "Positions per sequence, prompt and answer (the model's own limit if smaller).")
    var context: Int = 8192

    @Option(help: "Chat format when the model's own is not recognised: \(ChatTemplate.names.joined(separator: ", ")).")
    var template: String?

    @Option(help: "Worker threads of the engine (default: all cores).")
    var threads: Int?

    @Option(help: "Seconds a connection may stay silent while sending a request or between requests before it is closed (never while an answer is computed or streamed).")
    var idleTimeout: Double = ServerParameters().idleTimeout

    var parameters: ServerParameters {
        ServerParameters(
            host: host, port: port, parallel: parallel, apiKey: apiKey,
            maxBodyBytes: ServerParameters.byteCount(parsing: maxBody) ?? -1, context: context, idleTimeout: idleTimeout)
    }

    func validate() throws {
        _ = try ModelArgument.parse(model, option: "--model", localOnly: true)
        guard ServerParameters.byteCount(parsing: maxBody) != nil else {
            throw ValidationError("--max-body: '\(maxBody)' is not a size (1048576, 512KiB, 1MiB)")
        }
        do {
            try parameters.validate()
            _ = try adapters.map(AdapterArgument.init(parsing:))
        } catch {
            throw ValidationError("\(error)")
        }
        if let template, ChatTemplate(named: template) == nil {
            throw ValidationError(
                "unknown --template \(template); known: \(ChatTemplate.names.joined(separator: ", "))")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let server: OpenAIServer
        do {
            let spec = try ModelArgument.parse(model, option: "--model", localOnly: true)
            let base = try LanguageModel(path: try spec.localPath(role: "--model"), precision: .native)
            let models = try ServedModels(
                base: base, baseName: ServedModels.defaultName(forModel: model),
                adapters: try adapters.map(AdapterArgument.init(parsing:)), parallel: parallel, context: context,
                template: template.flatMap { ChatTemplate(named: $0) }, threads: threads)
            server = try OpenAIServer(models: models, parameters: parameters)
        } catch {
            throw CommandFailure(error)
        }
        let names = server.models.entries.map(\.name).joined(separator: ", ")
        let shownHost = self.host.contains(":") ? "[\(self.host)]" : self.host
        do {
            try await server.run { port in
                printError("serving \(names) on http://\(shownHost):\(port) — OpenAI API under /v1, chat page at /")
            }
        } catch {
            throw CommandFailure(error)
        }
    }
}
