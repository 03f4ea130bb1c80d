import AsyncHTTPClient
import ClarifyCore
import Foundation
import LLM
import NIOCore
import Testing

@testable import Server

/// A client that leaves mid-stream frees its batch slot at once. Run on the cached SmolLM2-135M
/// (`clarifycoder data fetch`), which counts on for thousands of tokens: an abandoned 8,000-token
/// stream must leave the batch within seconds (15 s allowed for a loaded machine) (the running count drops to 0), and with one slot a
/// request queued behind it must then finish in seconds — had the sequence run on, both would wait
/// for thousands of decode steps.
@Suite("serve: clients that leave", .serialized)
struct DisconnectTests {
    static let engine: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: try AssetStore().path(for: .model), precision: .float32)
    }

    @Test("a stream abandoned after its first chunk frees the only slot for the next request", .timeLimit(.minutes(3)))
    func abandonedStreamFreesItsSlot() async throws {
        let models = try ServedModels(base: try Self.engine.get(), baseName: "smollm2", parallel: 1, context: 8192)
        try await withServer(models) { url in
            let long = #"{"prompt":"1, 2, 3, 4, 5, 6, 7,","temperature":0,"max_tokens":8000,"stream":true}"#
            let (firstChunk, signal) = AsyncStream.makeStream(of: Void.self)
            let abandoned = Task {
                var request = HTTPClientRequest(url: url + "/v1/completions")
                request.method = .POST
                request.body = .bytes(ByteBuffer(string: long))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
                for try await _ in response.body {
                    signal.yield()
                    // Keep the connection open until cancelled, reading nothing more.
                    try await Task.sleep(for: .seconds(600))
                }
            }
            var iterator = firstChunk.makeAsyncIterator()
            _ = await iterator.next()
            abandoned.cancel()
            func metric(_ line: String, within seconds: Double) async throws -> Bool {
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    if try await send(.GET, url + "/metrics").body.contains(line) { return true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return false
            }
            #expect(try await metric(#"clarifycoder_running_sequences{model="smollm2"} 0"#, within: 15))
            let started = Date()
            let next = try await send(
                .POST, url + "/v1/completions", body: #"{"prompt":"Hello","temperature":0,"max_tokens":2}"#)
            #expect(next.status == 200)
            #expect(Date().timeIntervalSince(started) < 30, "the queued request waited for the abandoned one")
            #expect(try await metric("clarifycoder_cancelled_total 1", within: 5))
            #expect(try await metric(#"clarifycoder_running_sequences{model="smollm2"} 0"#, within: 5))
        }
    }
}
