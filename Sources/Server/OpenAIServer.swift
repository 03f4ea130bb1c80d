import Foundation
import Hummingbird
import Logging
import NIOCore

/// `clarifycoder serve`: an OpenAI-compatible HTTP server over the local engine (Hummingbird).
///
/// | route | answers |
/// |---|---|
/// | `POST /v1/chat/completions` | chat completions, whole or streamed (server-sent events) |
/// | `POST /v1/completions` | text completions of a raw prompt, whole or streamed |
/// | `GET /v1/models` | the base model and each adapter, by name |
/// | `GET /health` | `{"status":"ok"}` once the models are loaded |
/// | `GET /metrics` | Prometheus text: requests, tokens, queue, tokens/s, time to first token |
/// | `GET /` | the chat page (and its `/chat.js`, `/chat.css`) |
///
/// The library never prints: Hummingbird's logger is silenced, and the caller learns the bound port
/// through `onListening`.
public struct OpenAIServer: Sendable {
    public let models: ServedModels
    public let parameters: ServerParameters
    let metrics = ServerMetrics()

    public init(models: ServedModels, parameters: ServerParameters) throws {
        try parameters.validate()
        self.models = models
        self.parameters = parameters
    }

    /// The routes and the methods each answers (for 405s and `Allow`).
    static let routes: [String: [String]] = [
        "/v1/chat/completions": ["POST"], "/v1/completions": ["POST"], "/v1/models": ["GET"], "/health": ["GET"],
        "/metrics": ["GET"], "/": ["GET"], "/chat.js": ["GET"], "/chat.css": ["GET"],
    ]

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: OpenAIErrorMiddleware(routes: Self.routes, metrics: metrics))
        if let key = parameters.apiKey { router.add(middleware: APIKeyMiddleware(key: key)) }
        let completions = CompletionEndpoints(models: models, parameters: parameters, metrics: metrics)
        router.post("/v1/chat/completions") { request, context in try await completions.chat(request, context: context)
        }
        router.post("/v1/completions") { request, context in try await completions.completion(request, context: context)
        }
        let models = models
        let metrics = metrics
        router.get("/v1/models") { _, _ in
            let list = OpenAIResponses.ModelList(
                data: models.entries.map { entry in
                    .init(
                        id: entry.name, created: entry.created, root: models.base.name,
                        parent: entry.adapterFolder == nil ? nil : models.base.name)
                })
            return Self.json(list)
        }
        router.get("/health") { _, _ in Self.json(["status": "ok"]) }
        router.get("/metrics") { _, _ in
            let load = models.entries.map { entry in
                let load = entry.model.load
                return (model: entry.name, waiting: load.waiting, running: load.running)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render(load: load))))
        }
        let page = ChatPage.shared
        for (path, file) in ChatPage.routes {
            router.get(RouterPath(path)) { _, _ in page.response(for: file) }
        }
        return router
    }

    /// Serves until the surrounding task is cancelled, or — with `handleSignals` — until SIGINT or
    /// SIGTERM, which stop it gracefully. `onListening` receives the bound port (useful with port 0).
    public func run(handleSignals: Bool = true, onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws
    {
        var logger = Logger(label: "clarifycoder.serve")
        logger.logLevel = .critical
        let port = parameters.port
        let app = Application(
            router: router(),
            server: .http1(
                configuration: .init(idleTimeout: .milliseconds(Int64((parameters.idleTimeout * 1000).rounded())))),
            configuration: .init(address: .hostname(parameters.host, port: port), serverName: "clarifycoder"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    static func json(_ value: some Encodable) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: OpenAIResponses.json(value))))
    }
}
