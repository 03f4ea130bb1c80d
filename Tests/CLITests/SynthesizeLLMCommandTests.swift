import ArgumentParser
import BackendsTesting
import Foundation
import Testing

@testable import clarifycoder

@Suite("clarifycoder synthesize --synthesizer llm")
struct SynthesizeLLMCommandTests {
    @Test("refuses an llm run without a model, a model that is not openai:NAME, or verification with one sample")
    func validation() throws {
        let out = ["--out", NSTemporaryDirectory() + "cc-synth-\(UUID().uuidString)"]
        #expect(throws: (any Error).self) { try SynthesizeCommand.parse(["--synthesizer", "llm"] + out) }
        #expect(throws: (any Error).self) { try SynthesizeCommand.parse(["--synthesizer", "llm", "--model", "gpt-4o"] + out) }
        #expect(throws: (any Error).self) {
            try SynthesizeCommand.parse(["--synthesizer", "llm", "--model", "openai:m", "--verify-samples", "1"] + out)
        }
        #expect(throws: (any Error).self) { try SynthesizeCommand.parse(["--model", "openai:m"] + out) }
        #expect(throws: (any Error).self) { try SynthesizeCommand.parse(["--synthesizer", "gpt"] + out) }
        _ = try SynthesizeCommand.parse(["--synthesizer", "llm", "--model", "openai:m", "--verify-samples", "4"] + out)
    }

    @Test("runs the LLM synthesizer against an endpoint and writes its examples")
    func runsAgainstServer() async throws {
        // The fake server echoes; a rewrite that is not JSON makes every attempt a recorded failure.
        let server = try await FakeOpenAIServer.start()
        let out = NSTemporaryDirectory() + "cc-synth-llm-\(UUID().uuidString)"
        do {
            let command = try SynthesizeCommand.parse([
                "--synthesizer", "llm", "--model", "openai:fake-model", "--base-url", server.baseURL, "--no-cache",
                "--per-problem", "1", "--limit", "2", "--concurrency", "2", "--out", out,
            ])
            try await command.run()
            let ledger = try String(contentsOfFile: out + "/problems.jsonl", encoding: .utf8)
            #expect(ledger.split(separator: "\n").count == 2)
            #expect(ledger.contains("malformed_output"))
            let settings = try String(contentsOfFile: out + "/run.json", encoding: .utf8)
            #expect(settings.contains("llm:openai:fake-model@"))
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }
}
