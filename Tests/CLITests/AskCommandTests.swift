import Backends
import BackendsTesting
import Foundation
import Testing

@testable import clarifycoder

@Suite("clarifycoder ask")
struct AskCommandTests {
    private func ask(_ server: FakeOpenAIServer, _ arguments: [String], environment: [String: String] = [:])
        async throws -> String
    {
        let command = try AskCommand.parse(["--base-url", server.baseURL, "--model", "fake-model"] + arguments)
        return try await command.answer(environment: environment)
    }

    private func withServer(
        _ configuration: FakeOpenAIServer.Configuration = .init(), _ body: (FakeOpenAIServer) async throws -> Void
    ) async throws {
        let server = try await FakeOpenAIServer.start(configuration)
        do {
            try await body(server)
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    @Test("prints the endpoint's answer, retrying a failed first attempt")
    func asks() async throws {
        try await withServer(.init { $0.attempt == 0 ? .serverError : .ok }) { server in
            let text = try await ask(server, ["--system", "be brief", "hello there"])
            #expect(text == "echo: hello there\n")
            #expect(server.statistics.requests == 2)
        }
    }

    @Test("--choices prints every answer under a header with its finish reason")
    func severalChoices() async throws {
        try await withServer { server in
            let text = try await ask(server, ["--choices", "2", "--temperature", "0.7", "hi"])
            #expect(text == "--- answer 1 of 2 (stop) ---\necho: hi\n--- answer 2 of 2 (stop) ---\necho: hi\n")
        }
    }

    @Test("--cache answers a repeated greedy prompt without asking the server again")
    func cached() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cc-ask-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["CLARIFYCODER_HOME": home.path]
        try await withServer { server in
            let first = try await ask(server, ["--cache", "same prompt"], environment: environment)
            let second = try await ask(server, ["--cache", "same prompt"], environment: environment)
            #expect(first == "echo: same prompt\n" && second == first)
            #expect(server.statistics.requests == 1)
        }
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("cache/responses").path))
    }

    @Test("a refused key fails with the variable to set, and never shows the key")
    func refusedKey() async throws {
        try await withServer(.init(requiredAPIKey: "right-key")) { server in
            do {
                _ = try await ask(server, ["--api-key-env", "ASK_KEY", "hi"], environment: ["ASK_KEY": "wrong-key"])
                Issue.record("a wrong key should fail")
            } catch let error as BackendError {
                #expect(error.kind == .authentication)
                #expect(error.description.contains("$ASK_KEY"))
                #expect(!error.description.contains("wrong-key"))
            }
            let text = try await ask(server, ["--api-key-env", "ASK_KEY", "hi"], environment: ["ASK_KEY": "right-key"])
            #expect(text == "echo: hi\n")
        }
    }

    @Test("bad options are rejected before any request is sent")
    func validation() {
        #expect(throws: (any Error).self) {
            try AskCommand.parse(["--base-url", "localhost:8080", "--model", "m", "x"])
        }
        #expect(throws: (any Error).self) {
            try AskCommand.parse(["--base-url", "http://127.0.0.1:1", "--model", "m", "--temperature", "3", "x"])
        }
        #expect(throws: (any Error).self) {
            try AskCommand.parse(["--base-url", "http://127.0.0.1:1", "--model", "m", "--choices", "0", "x"])
        }
    }
}
