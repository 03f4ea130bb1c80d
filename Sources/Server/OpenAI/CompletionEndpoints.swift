import Backends
import ClarifyCore
import Foundation
import Hummingbird
import LLM
import NIOCore

/// `POST /v1/chat/completions` and `POST /v1/completions`: read and check the body, build a
/// ``GenerationPlan``, then answer whole or as server-sent events. The handlers only enqueue and
/// listen; the model's scheduler owns the batch.
///
/// The generation runs under `consumeWithCancellationOnInboundClose`: when the client goes away,
/// the task is cancelled, which ends the event stream and frees the sequences' slots before the
/// next forward step. Hummingbird then closes the connection, so these responses say
/// `Connection: close`.
struct CompletionEndpoints: Sendable {
    let models: ServedModels
    let parameters: ServerParameters
    let metrics: ServerMetrics

    func chat(_ request: Request, context: some RequestContext) async throws -> Response {
        let start = Date()
        var request = request
        let body = try await readBody(&request)
        let wire = try OpenAIRequests.decode(OpenAIRequests.ChatCompletion.self, from: body)
        let entry = try model(named: wire.model)
        guard !wire.messages.isEmpty else {
            throw APIError.invalidRequest("messages: at least one message is required", param: "messages")
        }
        let messages = wire.messages.map { Message(role: $0.role, content: $0.content?.text ?? "") }
        let prompt: [Int]
        do {
            prompt = try entry.model.prompt(for: messages)
        } catch {
            throw APIError(
                status: .internalServerError,
                message: "The model `\(entry.name)` has no chat format this server knows; "
                    + "use /v1/completions or restart the server with --template.", type: "server_error")
        }
        let plan = try GenerationPlan(
            entry: entry, prompt: prompt, sampling: wire.sampling, defaultMaxTokens: nil,
            maxChoices: parameters.parallel)
        let id = OpenAIResponses.id("chatcmpl")
        let created = Int(Date().timeIntervalSince1970)
        if wire.stream == true {
            let includeUsage = wire.stream_options?.include_usage == true
            return streamed(request, plan: plan, start: start) { (event: StreamEvent) -> OpenAIResponses.ChatChunk? in
                switch event {
                case .opened(let index):
                    return .init(
                        id: id, created: created, model: entry.name,
                        choices: [.init(index: index, delta: .init(role: "assistant", content: ""))])
                case .text(let index, let piece):
                    return .init(
                        id: id, created: created, model: entry.name,
                        choices: [.init(index: index, delta: .init(content: piece))])
                case .finished(let index, let result):
                    return .init(
                        id: id, created: created, model: entry.name,
                        choices: [
                            .init(
                                index: index, delta: .init(),
                                finish_reason: OpenAIResponses.finishReason(result.finishReason))
                        ])
                case .usage(let usage):
                    return includeUsage
                        ? .init(id: id, created: created, model: entry.name, choices: [], usage: usage) : nil
                }
            }
        }
        let results = try await whole(request, plan: plan, start: start)
        let answer = OpenAIResponses.ChatCompletion(
            id: id, created: created, model: entry.name,
            choices: results.enumerated().map { index, result in
                .init(
                    index: index, message: .init(content: result.text),
                    finish_reason: OpenAIResponses.finishReason(result.finishReason))
            },
            usage: usage(plan, results))
        return json(answer)
    }

    func completion(_ request: Request, context: some RequestContext) async throws -> Response {
        let start = Date()
        var request = request
        let body = try await readBody(&request)
        let wire = try OpenAIRequests.decode(OpenAIRequests.Completion.self, from: body)
        let entry = try model(named: wire.model)
        let prompt = entry.model.engine.tokenizer.encode(wire.prompt)
        guard !prompt.isEmpty else { throw APIError.invalidRequest("prompt: must not be empty", param: "prompt") }
        let plan = try GenerationPlan(
            entry: entry, prompt: prompt, sampling: wire.sampling, defaultMaxTokens: 16, maxChoices: parameters.parallel
        )
        let id = OpenAIResponses.id("cmpl")
        let created = Int(Date().timeIntervalSince1970)
        let echo = wire.echo == true ? wire.prompt : ""
        if wire.stream == true {
            let includeUsage = wire.stream_options?.include_usage == true
            return streamed(request, plan: plan, start: start) {
                (event: StreamEvent) -> OpenAIResponses.TextCompletion? in
                switch event {
                case .opened(let index):
                    return echo.isEmpty
                        ? nil
                        : .init(id: id, created: created, model: entry.name, choices: [.init(index: index, text: echo)])
                case .text(let index, let piece):
                    return .init(
                        id: id, created: created, model: entry.name, choices: [.init(index: index, text: piece)])
                case .finished(let index, let result):
                    return .init(
                        id: id, created: created, model: entry.name,
                        choices: [
                            .init(
                                index: index, text: "", finish_reason: OpenAIResponses.finishReason(result.finishReason)
                            )
                        ])
                case .usage(let usage):
                    return includeUsage
                        ? .init(id: id, created: created, model: entry.name, choices: [], usage: usage) : nil
                }
            }
        }
        let results = try await whole(request, plan: plan, start: start)
        let answer = OpenAIResponses.TextCompletion(
            id: id, created: created, model: entry.name,
            choices: results.enumerated().map { index, result in
                .init(
                    index: index, text: echo + result.text,
                    finish_reason: OpenAIResponses.finishReason(result.finishReason))
            },
            usage: usage(plan, results))
        return json(answer)
    }

    // MARK: - Shared steps

    private func model(named name: String?) throws -> ServedModels.Entry {
        guard let entry = models.entry(named: name) else {
            throw APIError.unknownModel(name ?? "", served: models.entries.map(\.name))
        }
        return entry
    }

    /// The whole body, refused with 413 past `--max-body` (by its Content-Length when it declares one,
    /// before reading it).
    private func readBody(_ request: inout Request) async throws -> Data {
        let limit = parameters.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.bodyTooLarge(limit: limit)
        }
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit: limit)
        }
    }

    private func usage(_ plan: GenerationPlan, _ results: [GenerationResult]) -> OpenAIResponses.Usage {
        OpenAIResponses.Usage(prompt: plan.prompt.count, completion: results.reduce(0) { $0 + $1.tokens.count })
    }

    private func json(_ value: some Encodable) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", .connection: "close"],
            body: .init(byteBuffer: ByteBuffer(bytes: OpenAIResponses.json(value))))
    }

    /// Runs the plan to the end; a client that leaves cancels it (and the response goes nowhere).
    private func whole(_ request: Request, plan: GenerationPlan, start: Date) async throws -> [GenerationResult] {
        do {
            return try await request.body.consumeWithCancellationOnInboundClose { _ in
                var results = [GenerationResult?](repeating: nil, count: plan.choices)
                var first = true
                for try await (index, event) in plan.events() {
                    switch event {
                    case .text:
                        if first { metrics.observeTimeToFirstToken(Date().timeIntervalSince(start)) }
                        first = false
                    case .finished(let result):
                        results[index] = result
                        metrics.countTokens(prompt: index == 0 ? plan.prompt.count : 0, completion: result.tokens.count)
                    }
                }
                try Task.checkCancellation()
                return results.map { $0! }
            }
        } catch is CancellationError {
            metrics.countCancelled()
            throw CancellationError()
        } catch let error as BackendError {
            throw APIError.invalidRequest(error.message)
        }
    }

    /// What a stream reports, for the endpoint to turn into its chunk type (nil: send nothing).
    enum StreamEvent {
        case opened(Int)
        case text(Int, String)
        case finished(Int, GenerationResult)
        case usage(OpenAIResponses.Usage)
    }

    /// A `text/event-stream` response: one `data: {chunk}` event per piece of text, per choice,
    /// then `data: [DONE]`. A failure after the status line is sent as an `error` event.
    private func streamed<Chunk: Encodable & Sendable>(
        _ request: Request, plan: GenerationPlan, start: Date,
        chunk: @escaping @Sendable (StreamEvent) -> Chunk?
    ) -> Response {
        let metrics = metrics
        let body = ResponseBody { writer in
            func send(_ value: some Encodable) async throws {
                var buffer = ByteBuffer(string: "data: ")
                buffer.writeBytes(OpenAIResponses.json(value))
                buffer.writeString("\n\n")
                try await writer.write(buffer)
            }
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    for index in 0..<plan.choices {
                        if let opened = chunk(.opened(index)) { try await send(opened) }
                    }
                    var completion = 0
                    var first = true
                    for try await (index, event) in plan.events() {
                        switch event {
                        case .text(let piece):
                            if first { metrics.observeTimeToFirstToken(Date().timeIntervalSince(start)) }
                            first = false
                            if let value = chunk(.text(index, piece)) { try await send(value) }
                        case .finished(let result):
                            completion += result.tokens.count
                            metrics.countTokens(
                                prompt: index == 0 ? plan.prompt.count : 0, completion: result.tokens.count)
                            if let value = chunk(.finished(index, result)) { try await send(value) }
                        }
                    }
                    try Task.checkCancellation()
                    let usage = OpenAIResponses.Usage(prompt: plan.prompt.count, completion: completion)
                    if let value = chunk(.usage(usage)) { try await send(value) }
                    try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                }
            } catch is CancellationError {
                metrics.countCancelled()
                return
            } catch let error as BackendError {
                let apiError = APIError.invalidRequest(error.message)
                var buffer = ByteBuffer(string: "data: ")
                buffer.writeBytes(apiError.body)
                buffer.writeString("\n\n")
                try? await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close"],
            body: body)
    }
}
