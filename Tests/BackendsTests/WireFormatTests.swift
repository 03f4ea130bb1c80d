import ClarifyCore
import Foundation
import Testing

@testable import Backends

@Suite("OpenAI wire format")
struct WireFormatTests {
    private func decode(_ body: String) throws -> ChatResponse {
        try OpenAIWireFormat.decodeCompletion(Data(body.utf8), requestedModel: "asked-for", statusCode: 200)
    }

    private func decodeError(_ body: String) -> BackendError? {
        do {
            _ = try decode(body)
            return nil
        } catch {
            return error as? BackendError
        }
    }

    @Test("a request body uses the API's field names and leaves out what was not asked for")
    func encodesRequest() throws {
        let plain = ChatRequest(messages: [.system("be brief"), .user("hi")])
        let plainJSON = try #require(
            JSONSerialization.jsonObject(with: OpenAIWireFormat.encode(plain, model: "m")) as? [String: Any])
        #expect(plainJSON["model"] as? String == "m")
        #expect(plainJSON["temperature"] as? Double == 0)
        #expect(plainJSON["n"] == nil && plainJSON["stop"] == nil && plainJSON["seed"] == nil)
        #expect(plainJSON["top_p"] == nil && plainJSON["max_tokens"] == nil && plainJSON["repetition_penalty"] == nil)
        #expect(plainJSON["presence_penalty"] == nil && plainJSON["frequency_penalty"] == nil)
        let messages = try #require(plainJSON["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "be brief"], ["role": "user", "content": "hi"]])

        let full = ChatRequest(
            messages: [.user("x")], temperature: 0.8, topP: 0.95, maxTokens: 256, n: 5, seed: 7, stop: ["```\n"],
            repetitionPenalty: 1.1, presencePenalty: 0.5, frequencyPenalty: 0.25)
        let fullJSON = try #require(
            JSONSerialization.jsonObject(with: OpenAIWireFormat.encode(full, model: "m")) as? [String: Any])
        #expect(fullJSON["top_p"] as? Double == 0.95)
        #expect(fullJSON["max_tokens"] as? Int == 256)
        #expect(fullJSON["n"] as? Int == 5)
        #expect(fullJSON["seed"] as? Int == 7)
        #expect(fullJSON["stop"] as? [String] == ["```\n"])
        #expect(fullJSON["repetition_penalty"] as? Double == 1.1)
        #expect(fullJSON["presence_penalty"] as? Double == 0.5 && fullJSON["frequency_penalty"] as? Double == 0.25)
    }

    @Test("a real completion decodes with choices in index order, finish reasons and usage")
    func decodesCompletion() throws {
        let response = try decode(
            """
            {"id":"c1","object":"chat.completion","model":"served-name","choices":[
              {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"length"},
              {"index":0,"message":{"role":"assistant","content":"first"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}}
            """)
        #expect(response.choices.map(\.content) == ["first", "second"])
        #expect(response.choices.map(\.finishReason) == [.stop, .length])
        #expect(response.usage == TokenUsage(promptTokens: 12, completionTokens: 30))
        #expect(response.model == "served-name")
    }

    @Test("missing usage, model and finish reason and a null content are tolerated")
    func tolerant() throws {
        let response = try decode(
            #"{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":null}]}"#)
        #expect(response.text == "")
        #expect(response.choices.first?.finishReason == .unknown)
        #expect(response.usage == nil)
        #expect(response.model == "asked-for")
        let vendor = try decode(#"{"choices":[{"index":0,"message":{"content":"x"},"finish_reason":"tool_calls"}]}"#)
        #expect(vendor.choices.first?.finishReason.rawValue == "tool_calls")
    }

    @Test("a truncated body is a retryable malformed response quoting the body")
    func truncated() throws {
        let error = try #require(decodeError(#"{"choices":[{"index":0,"message":{"content":"def f("#))
        #expect(error.kind == .malformedResponse)
        #expect(error.isRetryable)
        #expect(error.bodyExcerpt?.contains("def f(") == true)
        #expect(error.statusCode == 200)
    }

    @Test("an HTML page or an empty body is a retryable malformed response")
    func garbage() throws {
        let html = try #require(decodeError("<html><title>502 Bad Gateway</title></html>"))
        #expect(html.kind == .malformedResponse && html.isRetryable)
        #expect(html.description.contains("502 Bad Gateway"))
        let empty = try #require(decodeError(""))
        #expect(empty.kind == .malformedResponse)
        #expect(empty.message.contains("empty"))
    }

    @Test("JSON that is not a completion is a final error naming the missing field")
    func notACompletion() throws {
        let error = try #require(decodeError(#"{"object":"list","data":[]}"#))
        #expect(error.kind == .unexpectedResponse)
        #expect(!error.isRetryable)
        #expect(error.message.contains("`choices`"))
        let wrongType = try #require(decodeError(#"{"choices":[{"index":"zero","message":{"content":"x"}}]}"#))
        #expect(wrongType.kind == .unexpectedResponse)
        #expect(wrongType.message.contains("choices") && wrongType.message.contains("index"))
    }

    @Test("an empty choices list is a retryable empty response")
    func emptyChoices() throws {
        let error = try #require(decodeError(#"{"model":"m","choices":[]}"#))
        #expect(error.kind == .emptyResponse && error.isRetryable)
    }

    @Test("a long body is cut to an excerpt that says how long it was")
    func excerpt() {
        let long = String(repeating: "x", count: 5000)
        let cut = BackendError.excerpt(long)
        #expect(cut.count < 600)
        #expect(cut.hasSuffix("(5000 bytes in all)"))
    }
}

@Suite("Response cache key hashing")
struct SHA256Tests {
    @Test("SHA-256 matches the FIPS 180-4 example vectors")
    func vectors() {
        #expect(
            FileHash.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(FileHash.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            FileHash.sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A message of many blocks, checked against Python's hashlib.
        #expect(
            FileHash.sha256Hex(Array(repeating: UInt8(ascii: "a"), count: 1_000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
