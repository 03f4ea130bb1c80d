import AsyncHTTPClient
import Foundation
import LLM
import NIOCore
import NIOHTTP1
import Testing

@testable import Server

/// LLMTests' `qwen2-tiny` fixture: a random 2-layer Qwen2 with a ChatML template and a 128-position
/// context, so a whole request runs in milliseconds even in a debug build. Its text means nothing;
/// the protocol around it is what these tests check.
enum TinyModel {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LLMTests/Fixtures/Model/qwen2-tiny").path

    static let engine: Result<LanguageModel, any Error> = Result { try LanguageModel(path: path) }

    /// A LoRA adapter for the tiny model with large random updates on q and v, written once: its
    /// greedy answers differ from the base model's.
    static let adapterFolder: Result<String, any Error> = Result {
        let folder = NSTemporaryDirectory() + "clarifycoder-serve-adapter-\(UUID().uuidString)"
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1, using: &generator) } }
        let rank = 4
        var modules: [String: LoRAAdapter.Pair] = [:]
        for layer in 0..<2 {
            modules["model.layers.\(layer).self_attn.q_proj"] = LoRAAdapter.Pair(
                a: random(rank * 32), b: random(32 * rank), inFeatures: 32, outFeatures: 32)
            modules["model.layers.\(layer).self_attn.v_proj"] = LoRAAdapter.Pair(
                a: random(rank * 32), b: random(16 * rank), inFeatures: 32, outFeatures: 16)
        }
        let adapter = LoRAAdapter(
            config: LoRAConfig(rank: rank, alpha: 64, dropout: 0, targets: [.q, .v]), modules: modules)
        try adapter.write(to: folder)
        return folder
    }

    static func models(parallel: Int = 4, adapter: Bool = true) throws -> ServedModels {
        try ServedModels(
            base: try engine.get(), baseName: "qwen2-tiny",
            adapters: adapter ? [AdapterArgument(name: "tiny-tuned", folder: try adapterFolder.get())] : [],
            parallel: parallel, context: 128)
    }
}

/// Runs `body` against a live server on a free loopback port, stopping it afterwards.
func withServer<T: Sendable>(
    _ models: ServedModels, _ parameters: ServerParameters = ServerParameters(port: 0),
    _ body: (String) async throws -> T
) async throws -> T {
    let server = try OpenAIServer(models: models, parameters: parameters)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let task = Task { try await server.run(handleSignals: false) { continuation.yield($0) } }
    defer { task.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw ServerError("the server did not start") }
    return try await body("http://127.0.0.1:\(port)")
}

/// One HTTP exchange, its body read whole.
struct Exchange {
    var status: Int
    var headers: [String: String]
    var body: String

    /// The body as a JSON object (an issue is recorded when it is not one).
    func json(sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            Issue.record("not a JSON object: \(body.prefix(300))", sourceLocation: sourceLocation)
            return [:]
        }
        return object
    }

    /// `error.code` / `error.type` of an OpenAI-shaped error body.
    var error: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["error"] as? [String: Any]
    }

    /// The `data:` payloads of a server-sent-event body, `[DONE]` included.
    var events: [String] {
        body.components(separatedBy: "\n\n").compactMap { event in
            event.hasPrefix("data: ") ? String(event.dropFirst(6)) : nil
        }
    }
}

func send(
    _ method: HTTPMethod, _ url: String, body: String? = nil, bytes: [UInt8]? = nil, headers: [(String, String)] = []
) async throws -> Exchange {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "Content-Type", value: "application/json")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
    let buffer = try await response.body.collect(upTo: 16 << 20)
    var fields: [String: String] = [:]
    for header in response.headers { fields[header.name.lowercased()] = header.value }
    return Exchange(status: Int(response.status.code), headers: fields, body: String(buffer: buffer))
}

/// The text of a streamed chat completion: its deltas joined, per choice.
func streamedText(_ exchange: Exchange) -> [Int: String] {
    var texts: [Int: String] = [:]
    for event in exchange.events where event != "[DONE]" {
        guard let chunk = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any] else { continue }
        for choice in chunk["choices"] as? [[String: Any]] ?? [] {
            let index = choice["index"] as? Int ?? 0
            let delta = (choice["delta"] as? [String: Any])?["content"] as? String ?? choice["text"] as? String ?? ""
            texts[index, default: ""] += delta
        }
    }
    return texts
}
