import Backends
import ClarifyCore
import Foundation
import Testing

@testable import Server

@Suite("serve: completions over HTTP", .serialized)
struct ChatCompletionsTests {
    static let hello = #"{"role":"user","content":"Write a function that adds two numbers."}"#

    @Test("a greedy chat completion is OpenAI-shaped, names the model and counts its tokens")
    func wholeChatCompletion() async throws {
        try await withServer(try TinyModel.models()) { url in
            let body = #"{"model":"qwen2-tiny","messages":[\#(Self.hello)],"temperature":0,"max_tokens":5}"#
            let reply = try await send(.POST, url + "/v1/chat/completions", body: body)
            #expect(reply.status == 200)
            let json = reply.json()
            #expect(json["object"] as? String == "chat.completion")
            #expect((json["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(json["model"] as? String == "qwen2-tiny")
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            let usage = try #require(json["usage"] as? [String: Any])
            let completion = try #require(usage["completion_tokens"] as? Int)
            #expect((1...5).contains(completion))
            #expect(choice["finish_reason"] as? String == (completion == 5 ? "length" : "stop"))
            #expect(usage["total_tokens"] as? Int == (usage["prompt_tokens"] as? Int ?? 0) + completion)
            // Greedy is deterministic: the same request gives the same text.
            let again = try await send(.POST, url + "/v1/chat/completions", body: body)
            #expect(
                ((again.json()["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"]
                    as? String
                    == message["content"] as? String)
        }
    }

    @Test("a streamed answer arrives as server-sent events whose deltas join into the whole answer")
    func streamedChatCompletion() async throws {
        try await withServer(try TinyModel.models()) { url in
            let request = #"{"model":"qwen2-tiny","messages":[\#(Self.hello)],"temperature":0,"max_tokens":12"#
            let whole = try await send(.POST, url + "/v1/chat/completions", body: request + "}")
            let expected =
                ((whole.json()["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"]
                as? String
            let stream = try await send(
                .POST, url + "/v1/chat/completions",
                body: request + #","stream":true,"stream_options":{"include_usage":true}}"#)
            #expect(stream.status == 200)
            #expect(stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
            let events = stream.events
            #expect(events.last == "[DONE]")
            let first = try #require(
                events.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            #expect(first["object"] as? String == "chat.completion.chunk")
            #expect(
                (((first["choices"] as? [[String: Any]])?.first?["delta"]) as? [String: Any])?["role"] as? String
                    == "assistant")
            #expect(streamedText(stream)[0] == expected)
            // The usage chunk comes last, before [DONE], with no choices.
            let usage = try #require(
                JSONSerialization.jsonObject(with: Data(events[events.count - 2].utf8)) as? [String: Any])
            #expect((usage["choices"] as? [Any])?.isEmpty == true)
            #expect((usage["usage"] as? [String: Any])?["completion_tokens"] as? Int ?? 0 >= 1)
        }
    }

    @Test("n choices come back with their indices, each sampled with its own seed, reproducibly")
    func severalChoices() async throws {
        try await withServer(try TinyModel.models()) { url in
            let body = #"{"messages":[\#(Self.hello)],"temperature":1,"seed":7,"n":3,"max_tokens":6}"#
            let first = try await send(.POST, url + "/v1/chat/completions", body: body)
            let second = try await send(.POST, url + "/v1/chat/completions", body: body)
            let texts = { (exchange: Exchange) in
                (exchange.json()["choices"] as? [[String: Any]] ?? []).map {
                    ($0["message"] as? [String: Any])?["content"] as? String ?? ""
                }
            }
            #expect(texts(first).count == 3)
            #expect(texts(first) == texts(second))
            #expect(Set(texts(first)).count > 1)
            let streamed = try await send(
                .POST, url + "/v1/chat/completions", body: body.dropLast() + #","stream":true}"#)
            #expect(streamedText(streamed) == [0: texts(first)[0], 1: texts(first)[1], 2: texts(first)[2]])
        }
    }

    @Test("`model` picks the adapter by name; the adapter answers differently from its base")
    func adapterByName() async throws {
        try await withServer(try TinyModel.models()) { url in
            let models = try await send(.GET, url + "/v1/models").json()
            let data = models["data"] as? [[String: Any]] ?? []
            #expect(data.map { $0["id"] as? String } == ["qwen2-tiny", "tiny-tuned"])
            #expect(data.last?["parent"] as? String == "qwen2-tiny")
            func answer(_ model: String) async throws -> String {
                let body = #"{"model":"\#(model)","messages":[\#(Self.hello)],"temperature":0,"max_tokens":8}"#
                let reply = try await send(.POST, url + "/v1/chat/completions", body: body).json()
                #expect(reply["model"] as? String == model)
                return ((reply["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"]
                    as? String ?? ""
            }
            #expect(try await answer("tiny-tuned") != answer("qwen2-tiny"))
        }
    }

    @Test("stop strings end the answer before them")
    func stopStrings() async throws {
        try await withServer(try TinyModel.models()) { url in
            let plain = try await send(
                .POST, url + "/v1/completions", body: #"{"prompt":"def add(a, b):","temperature":0,"max_tokens":20}"#)
            let text = try #require((plain.json()["choices"] as? [[String: Any]])?.first?["text"] as? String)
            try #require(text.count >= 4)
            let stop = String(text.dropFirst(2).prefix(2))
            let body =
                #"{"prompt":"def add(a, b):","temperature":0,"max_tokens":20,"stop":\#(String(data: try JSONEncoder().encode(stop), encoding: .utf8)!)}"#
            let cut = try await send(.POST, url + "/v1/completions", body: body).json()
            let choice = try #require((cut["choices"] as? [[String: Any]])?.first)
            let cutText = try #require(choice["text"] as? String)
            #expect(text.hasPrefix(cutText))
            #expect(!cutText.contains(stop))
            #expect(choice["finish_reason"] as? String == "stop")
        }
    }

    @Test("completions continue a raw prompt, 16 tokens by default, streamed or whole alike")
    func textCompletions() async throws {
        try await withServer(try TinyModel.models()) { url in
            let body = #"{"model":"qwen2-tiny","prompt":"def add(a, b):","temperature":0"#
            let whole = try await send(.POST, url + "/v1/completions", body: body + "}")
            #expect(whole.status == 200)
            let json = whole.json()
            #expect(json["object"] as? String == "text_completion")
            #expect((json["usage"] as? [String: Any])?["completion_tokens"] as? Int ?? 0 <= 16)
            let text = (json["choices"] as? [[String: Any]])?.first?["text"] as? String
            let streamed = try await send(.POST, url + "/v1/completions", body: body + #","stream":true}"#)
            #expect(streamedText(streamed)[0] == text)
            #expect(streamed.events.last == "[DONE]")
        }
    }

    @Test("the project's own OpenAI client gets from serve what the engine answers directly")
    func ownClientAgainstServe() async throws {
        let direct = LocalChatModel(engine: try TinyModel.engine.get(), maxBatch: 1, context: 128)
        let request = ChatRequest(messages: [.user("Sort a list.")], temperature: 0, maxTokens: 6, seed: 0)
        let expected = try await direct.complete(request)
        try await withServer(try TinyModel.models(), ServerParameters(port: 0, apiKey: "sesame")) { url in
            let client = try OpenAICompatibleModel(
                configuration: OpenAIConfiguration(
                    baseURL: url, model: "qwen2-tiny", apiKeyEnvironmentVariable: "SERVE_KEY"),
                environment: ["SERVE_KEY": "sesame"])
            defer { Task { try? await client.shutdown() } }
            #expect(try await client.listModels() == ["qwen2-tiny", "tiny-tuned"])
            let answer = try await client.complete(request)
            #expect(answer.text == expected.text)
            #expect(answer.usage == expected.usage)
            #expect(answer.choices.first?.finishReason == expected.choices.first?.finishReason)
        }
    }
}
