import ClarifyCore
import Foundation
import LLM
import Testing

@testable import Eval

@Suite("Report document")
struct ReportDocumentTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("the trainer's metrics.jsonl becomes train and validation loss curves")
    func trainingLog() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("metrics.jsonl").path
        try """
        {"event":"start","examples":450}
        {"step":10,"loss":2.5,"lr":1e-4,"tokens_per_s":130.5}
        {"step":20,"loss":1.75,"lr":1e-4,"tokens_per_s":131}
        {"step":20,"val_loss":1.9}

        {"step":30,"loss":1.25,"lr":1e-4,"tokens_per_s":129}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let log = try TrainingLog.read(path: path)
        #expect(log.loss == [ChartPoint(x: 10, y: 2.5), ChartPoint(x: 20, y: 1.75), ChartPoint(x: 30, y: 1.25)])
        #expect(log.validationLoss == [ChartPoint(x: 20, y: 1.9)])
        let curve = log.curve()
        #expect(curve.series.map(\.name) == ["train loss", "validation loss"])
        let report = EvaluationReport(title: "t", runs: [], trainingCurves: [curve])
        #expect(report.trainingSummaries[0].contains("train loss: 2.5000 at step 10 → 1.2500 at step 30"))
        let html = HTMLReportRenderer.render(report)
        #expect(html.contains("<polyline"))
        #expect(ReportFixtures.parseXML(html).error == nil)
    }

    @Test("the run folder's loss.svg is drawn from the trainer's typed metrics")
    func lossCurveFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let metrics = [
            TrainingMetric(step: 1, loss: 2.5, learningRate: 1e-4, tokens: 100, supervisedTokens: 40, gradientNorm: 3),
            TrainingMetric(step: 2, loss: 1.5, learningRate: 1e-4, tokens: 100, supervisedTokens: 40, decisionLoss: 0.5),
            TrainingMetric(step: 2, validationLoss: 1.75),
        ]
        let encoder = JSONEncoder()
        let lines = try metrics.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
        try lines.write(to: folder.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        #expect(try TrainingLog.read(path: folder.appendingPathComponent("metrics.jsonl").path).metrics == metrics)
        let path = try TrainingLog.writeLossCurve(runDirectory: folder.path, title: "tiny.gguf — LoRA r=4")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(path.hasSuffix("/loss.svg"))
        #expect(ReportFixtures.parseXML(svg).error == nil)
        #expect(svg.contains("xmlns=\"http://www.w3.org/2000/svg\"") && svg.contains("<polyline"))
        #expect(svg.contains("tiny.gguf — LoRA r=4") && svg.contains("train loss") && svg.contains("validation loss"))
    }

    @Test("a loss line without its step is an error naming the file, line and field")
    func trainingLogErrors() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("metrics.jsonl").path
        try "{\"step\":1,\"loss\":2}\n{\"loss\":1.5}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: JSONLError.self) { try TrainingLog.read(path: path) }
        #expect(error?.line == 2)
        #expect(error?.field == "step")
        #expect(error.map { "\($0)" }?.contains("metrics.jsonl") == true)
        try "{\"step\":1,\"loss\":\"high\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let typeError = #expect(throws: JSONLError.self) { try TrainingLog.read(path: path) }
        #expect(typeError?.field == "loss")
        #expect(throws: JSONLError.self) { try TrainingLog.read(path: folder.appendingPathComponent("none").path) }
    }

    @Test("examples are spread over categories, best grades first, in a stable order")
    func exampleSelection() {
        func example(_ id: String, _ category: ClarificationCategory, _ grade: Int) -> ReportExample {
            ReportExample(problemID: id, category: category, prompt: "p", response: "r?", grade: grade)
        }
        let candidates = [
            example("HumanEval/10", .ambiguous1, 3), example("HumanEval/2", .ambiguous1, 3),
            example("HumanEval/1", .ambiguous1, 2), example("HumanEval/5", .incomplete1, 2),
            example("HumanEval/7", .original, 1), example("HumanEval/3", .all3, 3),
        ]
        let chosen = ReportExample.select(from: candidates, limit: 4)
        #expect(chosen.map(\.problemID) == ["HumanEval/2", "HumanEval/5", "HumanEval/3", "HumanEval/7"])
        #expect(ReportExample.select(from: candidates.reversed(), limit: 4) == chosen)
        let more = ReportExample.select(from: candidates, limit: 10)
        #expect(more.count == 6)
        #expect(more[4].problemID == "HumanEval/10")
    }

    @Test("the writer puts each chosen format in the folder, named report.*")
    func writer() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("nested/out").path
        let paths = try ReportWriter.write(ReportFixtures.baseVsTuned, to: out, formats: [.md, .json])
        #expect(paths == [out + "/report.md", out + "/report.json"])
        #expect(!FileManager.default.fileExists(atPath: out + "/report.html"))
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown == MarkdownReportRenderer.render(ReportFixtures.baseVsTuned))
    }

    @Test("pipeline sections: time per stage with a total, settings, and the questions asked")
    func pipelineSections() {
        var report = ReportFixtures.baseVsTuned
        report.stages = [
            StageTiming(name: "synthesize", seconds: 12.4, reused: true), StageTiming(name: "train", seconds: 1500),
            StageTiming(name: "evaluate", seconds: nil),
        ]
        report.settings = [ReportSetting("lora.rank", "16"), ReportSetting("mixture", "40:60")]
        report.runs[1].examples = [
            ReportExample(
                problemID: "HumanEval/3", category: .incomplete1, prompt: "def below_zero(ops):\n",
                response:
                    "Should the balance start at zero?", grade: 3, answer: "Yes, it starts at zero.", passed: true)
        ]
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("| synthesize | 12.4 s | reused from an earlier run |"))
        #expect(markdown.contains("| train | 25 min 00 s |  |"))
        #expect(markdown.contains("| evaluate | — |  |"))
        #expect(markdown.contains("| total | 25 min 12 s |  |"))
        #expect(markdown.contains("| lora.rank | 16 |"))
        #expect(markdown.contains("| temperature | 0 | 0 |"))
        #expect(markdown.contains("#### 1. HumanEval/3 · 1p (incomplete) · graded Good · final code passed"))
        #expect(markdown.contains("```text\nShould the balance start at zero?\n```"))
        #expect(markdown.contains("Evaluator's answer (heuristic):"))
        let html = HTMLReportRenderer.render(report)
        #expect(html.contains("<pre class=\"response\">Should the balance start at zero?</pre>"))
        #expect(ReportFixtures.parseXML(html).error == nil)
    }
}
