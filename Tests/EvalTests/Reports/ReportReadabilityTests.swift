import ClarifyCore
import Foundation
import LLM
import Testing

@testable import Eval

/// What a reader of the report needs first: whether the targets were met, on how many prompts;
/// what each loss means; real questions; the long settings out of the way; what made the numbers.
@Suite("Report readability")
struct ReportReadabilityTests {
    @Test("each target is met, not met or not measured, with its n, in every format")
    func targets() throws {
        let report = ReportFixtures.baseVsTuned
        // tuned: asks on 3 of 4 modified prompts, 2 graded Good; asks on 1 of 2 originals; Pass@1 as base.
        #expect(report.targets.map(\.verdict) == [.met, .notMet, .notMet, .met])
        #expect(report.targets.map(\.n) == [4, 4, 2, 2])
        let html = HTMLReportRenderer.render(report)
        #expect(html.contains("<li class=\"met\"><strong>met</strong> Communication Rate ≥ 63%: 75.0% (n = 4 prompts)</li>"))
        #expect(html.contains("<li class=\"not-met\"><strong>not met</strong> Over-asking on original prompts ≤ 10%: 50.0% (n = 2 prompts)</li>"))
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("| Good Question Rate | ≥ 52% | 50.0% | 4 | not met |"))
        let json = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(report)) as! [String: Any]
        let targets = json["targets"] as! [[String: Any]]
        #expect(targets.map { $0["verdict"] as? String } == ["met", "not met", "not met", "met"])
        #expect(targets[0]["n"] as? Int == 4)

        // One run alone has no baseline for the Pass@1 target.
        let single = EvaluationReport(title: "t", runs: [report.runs[1]])
        #expect(single.targets.last?.verdict == .notMeasured)
        #expect(HTMLReportRenderer.render(single).contains("<strong>not measured</strong> Pass@1 on original prompts"))
    }

    @Test("the settings dump is folded and the page has two charts, not six")
    func foldedSettings() {
        var report = ReportFixtures.baseVsTuned
        report.settings = (0..<50).map { ReportSetting("setting.\($0)", "\($0)") }
        let html = HTMLReportRenderer.render(report)
        #expect(html.contains("<details>\n<summary>Experiment settings (50)</summary>"))
        #expect(html.contains("<details>\n<summary>Settings of each run</summary>"))
        #expect(ReportFixtures.count("<svg", in: html) == 2)
        #expect(ReportFixtures.parseXML(html).error == nil)
    }

    @Test("both validation losses are drawn and explained when the run had a decision term")
    func validationLosses() throws {
        let plain = TrainingLog(metrics: [
            TrainingMetric(step: 1, loss: 2), TrainingMetric(step: 2, loss: 1.5),
            TrainingMetric(step: 2, validationLoss: 1.7),
        ])
        #expect(plain.decisionCurve() == nil)
        let log = TrainingLog(metrics: [
            TrainingMetric(step: 1, loss: 2, decisionLoss: 0.9), TrainingMetric(step: 2, loss: 1.5, decisionLoss: 0.5),
            TrainingMetric(step: 2, validationLoss: 1.7, validationDecisionLoss: 0.6),
        ])
        let decision = try #require(log.decisionCurve())
        #expect(decision.series.map(\.name) == ["train decision loss", "validation decision loss"])
        let report = EvaluationReport(title: "t", runs: [], trainingCurves: [log.curve(), decision])
        let html = HTMLReportRenderer.render(report)
        #expect(html.contains("Validation loss: the same mean over the held-out validation examples"))
        #expect(html.contains("validation loss + weight × validation decision loss"))
        #expect(ReportFixtures.count("<svg", in: html) == 2)
        #expect(MarkdownReportRenderer.render(report).contains("The second validation loss."))
    }

    @Test("real questions are quoted before fragments, and heuristic answers are folded")
    func realQuestions() {
        let fragment = ReportExample(
            problemID: "HumanEval/1", category: .ambiguous1, prompt: "p", response: "sorted list", grade: 3)
        let question = ReportExample(
            problemID: "HumanEval/2", category: .ambiguous1, prompt: "p",
            response: "Should the list be sorted in ascending order?", grade: 2, answer: "The precise requirement is:\nascending")
        #expect(!fragment.asksQuestion && question.asksQuestion)
        #expect(ReportExample.select(from: [fragment, question], limit: 1) == [question])
        var report = ReportFixtures.baseVsTuned
        report.runs[1].examples = [question]
        let html = HTMLReportRenderer.render(report)
        #expect(html.contains("<summary>Evaluator&#39;s answer (heuristic: lines of the original prompt)</summary>"))
        #expect(html.contains("<pre class=\"response\">Should the list be sorted in ascending order?</pre>"))
    }

    @Test("provenance of each run and of the report is shown, and 'not recorded' for older runs")
    func provenance() throws {
        var report = ReportFixtures.baseVsTuned
        report.runs[1].provenance = Provenance(
            version: "0.1.0", commit: "0123456789abcdef0123", model: "smollm2",
            modelSHA256: String(repeating: "c", count: 64), command: "clarifycoder eval --model smollm2")
        report.provenance = Provenance(version: "0.1.0", commit: nil, command: "clarifycoder report a b")
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("| base | not recorded |"))
        #expect(markdown.contains("| tuned | 0.1.0 | 0123456789ab | smollm2 | cccccccccccccccc… | clarifycoder eval --model smollm2 |"))
        #expect(markdown.contains("| this report | 0.1.0 | unknown | — | — | clarifycoder report a b |"))
        let json = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(report)) as! [String: Any]
        let runs = json["runs"] as! [[String: Any]]
        #expect(runs[0]["provenance"] is NSNull)
        #expect((runs[1]["provenance"] as? [String: Any])?["git_commit"] as? String == "0123456789abcdef0123")
        #expect((json["provenance"] as? [String: Any])?["command"] as? String == "clarifycoder report a b")
    }
}
