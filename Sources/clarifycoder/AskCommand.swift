import ArgumentParser
import Backends
import ClarifyCore
import Foundation

/// `clarifycoder ask`: one prompt to an OpenAI-compatible endpoint, the answer on stdout.
///
/// A quick check that an endpoint, model name and key work before a long `eval` or
/// `synthesize` run, with the same client (retries, deadlines, cache) those runs use.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Send one prompt to an OpenAI-compatible endpoint and print the answer.",
        discussion: """
            Works with OpenAI, vLLM, llama.cpp's llama-server, Ollama and any server that speaks \
            POST /v1/chat/completions. The API key is read from the environment variable named by \
            --api-key-env (unset: no key is sent). Failures print what went wrong and what to do.
            """
    )

    @Option(help: "The server's base URL, with or without /v1 (e.g. http://127.0.0.1:8080).")
    var baseURL: String

    @Option(help: "The model name sent to the server.")
    var model: String

    @Option(help: "The environment variable holding the API key.")
    var apiKeyEnv = "OPENAI_API_KEY"

    @Option(help: "A system message sent before the prompt.")
    var system: String?

    @OptionGroup(title: "Decoding")
    var decoding: DecodingOptions

    @Option(help: "How many answers to generate.")
    var choices = 1

    @Option(help: "Seconds one attempt may take.")
    var timeout: Double = 120

    @Option(help: "Attempts in all, retries included, for 429s, 5xx, timeouts and broken replies.")
    var attempts = 6

    @Flag(help: "Answer a repeated greedy or seeded prompt from $CLARIFYCODER_HOME/cache/responses.")
    var cache = false

    @Argument(help: "The prompt; '-' reads it from standard input.")
    var prompt: String

    func validate() throws {
        guard choices >= 1 else { throw ValidationError("--choices must be at least 1.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1.") }
        do {
            _ = try clientConfiguration.apiRoot()
        } catch let error as BackendError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        print(try await answer(), terminator: "")
    }

    var clientConfiguration: OpenAIConfiguration {
        OpenAIConfiguration(
            baseURL: baseURL, model: model, apiKeyEnvironmentVariable: apiKeyEnv, maxConcurrentRequests: 1,
            attemptTimeout: .seconds(timeout), requestDeadline: .seconds(timeout * Double(attempts) + 300),
            retry: RetryPolicy(maxAttempts: attempts))
    }

    /// The text printed for the prompt: the answer, or each answer under a header when
    /// `--choices` is above 1.
    /// The request for the prompt `text`. An endpoint applies its own defaults to what was not
    /// given: no seed (a fresh draw each time, and a sampled answer is never cached) and its own
    /// answer length.
    func request(for text: String) -> ChatRequest {
        var messages: [Message] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(text))
        var request = ChatRequest(messages: messages, decoding: decoding.settings, n: choices)
        request.seed = decoding.seed
        request.maxTokens = decoding.maxTokens
        return request
    }

    func answer(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> String {
        var text = prompt
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let request = request(for: text)

        let client = try OpenAICompatibleModel(configuration: clientConfiguration, environment: environment)
        let response: ChatResponse
        do {
            if cache {
                let store = try ResponseCache(directory: ResponseCache.defaultDirectory(environment: environment))
                response = try await CachedChatModel(client, cache: store).complete(request)
            } else {
                response = try await client.complete(request)
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        return render(response)
    }

    private func render(_ response: ChatResponse) -> String {
        guard response.choices.count > 1 else { return response.text + "\n" }
        let count = response.choices.count
        return response.choices.map { choice in
            "--- answer \(choice.index + 1) of \(count) (\(choice.finishReason)) ---\n\(choice.content)\n"
        }.joined()
    }
}
