import ClarifyCore
import Eval
import Execution
import Foundation
import Testing

@testable import clarifycoder

@Suite("clarifycoder report")
struct ReportCommandTests {
    func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cc-reportcmd-\(name)-\(UUID().uuidString)").path
    }

    /// A finished run in `folder/run.sqlite`: asks on `asked` of two 1a prompts, codes the original.
    func writeRun(_ folder: String, name: String, asked: Int) throws {
        let store = try RunStore(path: folder + "/run.sqlite")
        let run = try store.createRun(
            name: name, benchmark: "humanevalcomm:h.jsonl", mode: .humanevalcomm, model: "smollm2", adapter: nil,
            evaluatorKind: .heuristic, evaluatorName: "heuristic", seed: 0, samples: 1, settingsJSON: "{}")
        let prompts: [(String, ClarificationCategory)] = [
            ("HumanEval/0", .ambiguous1), ("HumanEval/1", .ambiguous1),
            ("HumanEval/0", .original),
        ]
        for (position, (id, category)) in prompts.enumerated() {
            var item = ItemRecord(
                runID: run.id, position: position, problemID: id, category: category, sample: 0, prompt: "p",
                status: .executed, evaluatorKind: .heuristic)
            let asks = category != .original && position < asked
            item.strictVerdict = asks ? .question : .code
            item.paperVerdict = item.strictVerdict
            item.grade = category == .original ? nil : (asks ? 3 : 1)
            item.questions = asks ? "Ascending or descending?" : nil
            try store.save(
                item,
                execution: ExecutionReport(
                    problemID: id, outcomes: [TestOutcome(index: 0, passed: true, status: .passed)]))
        }
        try store.finish(run: run.id)
    }

    @Test("base and tuned run folders give HTML, Markdown and JSON side by side")
    func sideBySide() throws {
        let root = scratch("pair")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeRun(root + "/base", name: "base", asked: 0)
        try writeRun(root + "/tuned", name: "tuned", asked: 2)
        try ReportCommand.parse([root + "/base", root + "/tuned", "--out", root + "/report"]).run()
        for file in ["report.html", "report.md", "report.json"] {
            #expect(FileManager.default.fileExists(atPath: root + "/report/" + file), "\(file)")
        }
        let markdown = try String(contentsOfFile: root + "/report/report.md", encoding: .utf8)
        #expect(markdown.hasPrefix("# Evaluation: base vs tuned\n"))
        #expect(markdown.contains("| Communication Rate (strict detector) | 0.0% | 100.0% | +100.0 pts |"))
        #expect(markdown.contains("Approximate: question grades"))
        #expect(markdown.contains("Ascending or descending?"))
    }

    @Test("one run writes into its own folder; --name renames it; --format picks the files")
    func oneRun() throws {
        let root = scratch("one")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeRun(root, name: "eval", asked: 1)
        try ReportCommand.parse([root, "--name", "SmolLM2 base", "--format", "md", "--offline-benchmark"]).run()
        let markdown = try String(contentsOfFile: root + "/report.md", encoding: .utf8)
        #expect(markdown.hasPrefix("# Evaluation of SmolLM2 base\n"))
        #expect(markdown.contains("Offline benchmark: SmolLM2 base was measured on HumanEvalComm"))
        #expect(!FileManager.default.fileExists(atPath: root + "/report.html"))
    }

    @Test("bad paths, formats and name counts are refused with the reason")
    func errors() throws {
        let root = scratch("errors")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try ReportCommand.parse([root + "/missing"]).run() } throws: {
            "\($0)".contains("no such run folder or run store")
        }
        #expect { try ReportCommand.parse([root]).run() } throws: { "\($0)".contains("holds no run.sqlite") }
        #expect(throws: (any Error).self) { try ReportCommand.parse([root, "--format", "pdf"]) }
        try writeRun(root + "/a", name: "a", asked: 0)
        #expect { try ReportCommand.parse([root + "/a", "--name", "x", "--name", "y"]).run() } throws: {
            "\($0)".contains("1 run(s) found") && "\($0)".contains("2 --name given")
        }
    }
}
