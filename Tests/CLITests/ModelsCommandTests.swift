import ClarifyCore
import Eval
import Foundation
import Testing

@testable import clarifycoder

@Suite("clarifycoder models and model options")
struct ModelsCommandTests {
    @Test("lists every known model with its upstream licence, and how to fetch the ones not cached")
    func listing() throws {
        let home = NSTemporaryDirectory() + "clarifycoder-models-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        let rows = ModelsCommand.rows(store: AssetStore(home: home))
        #expect(rows.map(\.name) == ["smollm2", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"])
        #expect(rows.allSatisfy { $0.licence == "Apache-2.0" && !$0.cached })
        #expect(rows[2].upstream == "Qwen/Qwen2.5-Coder-1.5B-Instruct" && rows[2].fileBytes == 1_117_320_768)
        let table = ModelsCommand.table(rows)
        #expect(table.contains("Qwen/Qwen2.5-Coder-0.5B-Instruct (Apache-2.0)"))
        #expect(
            table.contains(
                "qwen2.5-coder-1.5b: judge, problem generator, larger runs; not cached: "
                    + "clarifycoder data fetch --only qwen2.5-coder-1.5b"))
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        #expect(json.contains("\"file_bytes\":491400064"))
    }

    @Test("an unknown model is refused before anything loads, naming the known ones")
    func unknownModel() throws {
        #expect {
            try GenerateCommand.parse(["--model", "qwen-7b", "--prompt", "x"])
        } throws: { error in
            let message = GenerateCommand.message(for: error)
            return message.contains("unknown model 'qwen-7b'") && message.contains("qwen2.5-coder-1.5b")
        }
        #expect(throws: (any Error).self) { try GenerateCommand.parse(["--model", "openai:m", "--prompt", "x"]) }
        #expect(throws: (any Error).self) {
            try TrainCommand.parse(["--model", "reference", "--data", "d", "--out", "r"])
        }
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--evaluator", "reference", "--out", "x"])
        }
        let local = try? EvalCommand.parse([
            "--benchmark", "humaneval", "--evaluator", "qwen2.5-coder-1.5b", "--out", "x",
        ])
        #expect(try local?.evaluatorSpec() == .model(.known(.qwen25Coder15B)))
        let judge = try? EvalCommand.parse(["--benchmark", "humaneval", "--evaluator", "local:probs", "--out", "x"])
        #expect(try judge?.evaluatorSpec() == .localJudge(.known(.qwen25Coder15B), .probs))
        #expect(throws: (any Error).self) {
            try EvalCommand.parse(["--benchmark", "humaneval", "--evaluator", "local:smollm2:vote", "--out", "x"])
        }
    }
}
