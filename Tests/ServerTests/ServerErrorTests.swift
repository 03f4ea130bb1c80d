import Foundation
import Testing

@testable import Server

/// Every refusal in OpenAI's shape, with the status a client acts on, and nothing internal in it.
@Suite("serve: errors and limits", .serialized)
struct ServerErrorTests {
    func expectError(
        _ exchange: Exchange, status: Int, code: String? = nil, type: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(exchange.status == status, "body: \(exchange.body.prefix(300))", sourceLocation: sourceLocation)
        #expect(exchange.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
        let error = exchange.error
        #expect(error?["message"] is String, sourceLocation: sourceLocation)
        #expect(error?.keys.sorted() == ["code", "message", "param", "type"], sourceLocation: sourceLocation)
        if let code { #expect(error?["code"] as? String == code, sourceLocation: sourceLocation) }
        if let type { #expect(error?["type"] as? String == type, sourceLocation: sourceLocation) }
        #expect(!exchange.body.contains(".swift"), "no source paths", sourceLocation: sourceLocation)
    }

    @Test("bad JSON, a bad field, an unknown model and a too-long prompt are refused with 400 or 404")
    func badRequests() async throws {
        try await withServer(try TinyModel.models()) { url in
            let chat = url + "/v1/chat/completions"
            expectError(try await send(.POST, chat, body: #"{"messages": [oops"#), status: 400, code: "invalid_json")
            expectError(try await send(.POST, chat, bytes: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]), status: 400)
            let role = try await send(.POST, chat, body: #"{"messages":[{"role":"robot","content":"hi"}]}"#)
            expectError(role, status: 400, type: "invalid_request_error")
            #expect(role.error?["param"] as? String == "messages[0].role")
            let missing = try await send(.POST, chat, body: #"{"model":"qwen2-tiny"}"#)
            expectError(missing, status: 400)
            #expect(missing.error?["param"] as? String == "messages")
            let topP = try await send(.POST, chat, body: #"{"messages":[{"role":"user","content":"hi"}],"top_p":0}"#)
            expectError(topP, status: 400)
            #expect((topP.error?["message"] as? String)?.contains("top_p") == true)
            #expect(topP.error?["param"] as? String == "top_p")
            expectError(
                try await send(.POST, chat, body: #"{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}"#),
                status: 404, code: "model_not_found")
            let long = String(repeating: "word ", count: 300)
            expectError(
                try await send(.POST, chat, body: #"{"messages":[{"role":"user","content":"\#(long)"}]}"#),
                status: 400, code: "context_length_exceeded")
            expectError(
                try await send(
                    .POST, chat, body: #"{"messages":[{"role":"user","content":"hi"}],"max_tokens":100000}"#),
                status: 400, code: "context_length_exceeded")
        }
    }

    @Test("a body over --max-body is refused with 413, declared or not")
    func bodyTooLarge() async throws {
        try await withServer(try TinyModel.models(), ServerParameters(port: 0, maxBodyBytes: 4096)) { url in
            let big = #"{"messages":[{"role":"user","content":""# + String(repeating: "a", count: 8192) + #""}]}"#
            expectError(
                try await send(.POST, url + "/v1/chat/completions", body: big), status: 413, code: "request_too_large")
            expectError(try await send(.POST, url + "/v1/completions", body: big), status: 413)
            // The server still answers afterwards.
            #expect(try await send(.GET, url + "/health").status == 200)
        }
    }

    @Test("an unknown path is 404 and a wrong method 405 naming the allowed one")
    func routing() async throws {
        try await withServer(try TinyModel.models()) { url in
            expectError(try await send(.GET, url + "/v2/nothing"), status: 404, code: "not_found")
            let wrong = try await send(.GET, url + "/v1/chat/completions")
            expectError(wrong, status: 405)
            #expect(wrong.headers["allow"] == "POST")
            expectError(try await send(.DELETE, url + "/v1/models"), status: 405)
        }
    }

    @Test("with --api-key, /v1 and /metrics need the key; the page and /health do not")
    func apiKey() async throws {
        try await withServer(try TinyModel.models(), ServerParameters(port: 0, apiKey: "sesame")) { url in
            expectError(try await send(.GET, url + "/v1/models"), status: 401, type: "authentication_error")
            let wrong = try await send(.GET, url + "/v1/models", headers: [("Authorization", "Bearer sesamE")])
            expectError(wrong, status: 401)
            #expect(wrong.headers["www-authenticate"] == "Bearer")
            expectError(try await send(.GET, url + "/metrics"), status: 401)
            #expect(
                try await send(.GET, url + "/v1/models", headers: [("Authorization", "Bearer sesame")]).status == 200)
            #expect(try await send(.GET, url + "/health").status == 200)
            #expect(try await send(.GET, url + "/").status == 200)
        }
    }

    @Test("/metrics counts requests by status, tokens, and reports the queue in Prometheus text")
    func metrics() async throws {
        try await withServer(try TinyModel.models()) { url in
            _ = try await send(
                .POST, url + "/v1/chat/completions",
                body: #"{"messages":[{"role":"user","content":"hi"}],"temperature":0,"max_tokens":3}"#)
            _ = try await send(.POST, url + "/v1/chat/completions", body: "nope")
            _ = try await send(.GET, url + "/no/such/\(UUID())")
            let metrics = try await send(.GET, url + "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = metrics.body
            #expect(text.contains(#"clarifycoder_requests_total{endpoint="/v1/chat/completions",status="200"} 1"#))
            #expect(text.contains(#"clarifycoder_requests_total{endpoint="/v1/chat/completions",status="400"} 1"#))
            #expect(text.contains(#"clarifycoder_requests_total{endpoint="other",status="404"} 1"#))
            #expect(text.contains(#"clarifycoder_queue_sequences{model="tiny-tuned"} 0"#))
            #expect(text.contains("# TYPE clarifycoder_time_to_first_token_seconds histogram"))
            let completion = text.split(separator: "\n").first { $0.hasPrefix("clarifycoder_completion_tokens_total ") }
            #expect(completion.flatMap { Int($0.split(separator: " ")[1]) }.map { (1...3).contains($0) } == true)
        }
    }

    @Test("sizes parse with binary and decimal units; nonsense does not")
    func byteSizes() {
        #expect(ServerParameters.byteCount(parsing: "1MiB") == 1 << 20)
        #expect(ServerParameters.byteCount(parsing: "512KiB") == 512 << 10)
        #expect(ServerParameters.byteCount(parsing: "2MB") == 2_000_000)
        #expect(ServerParameters.byteCount(parsing: "4096") == 4096)
        #expect(ServerParameters.byteCount(parsing: "lots") == nil)
        #expect(ServerParameters.byteCount(parsing: "1 parsec") == nil)
    }

    @Test("adapters are named NAME=DIR or after their folder; a missing folder is refused by name")
    func adapterArguments() throws {
        let folder = try TinyModel.adapterFolder.get()
        #expect(try AdapterArgument(parsing: "tuned=\(folder)") == AdapterArgument(name: "tuned", folder: folder))
        #expect(try AdapterArgument(parsing: folder).name == (folder as NSString).lastPathComponent)
        #expect(throws: ServerError.self) { try AdapterArgument(parsing: "x=/no/such/folder") }
        #expect(throws: ServerError.self) {
            try ServedModels(
                base: try TinyModel.engine.get(), baseName: "qwen2-tiny",
                adapters: [AdapterArgument(name: "qwen2-tiny", folder: folder)], parallel: 1, context: 128)
        }
    }
}
