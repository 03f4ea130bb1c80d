import ClarifyCore
import Foundation
import Testing

@testable import Eval

@Suite("Report rendering")
struct ReportRenderingTests {
    @Test("rates are percentages with one decimal, differences signed points, undefined values a dash")
    func formatting() {
        #expect(ReportFormat.percent(0.63) == "63.0%")
        #expect(ReportFormat.percent(1.0 / 3) == "33.3%")
        #expect(ReportFormat.percent(0) == "0.0%")
        #expect(ReportFormat.percent(nil) == "—")
        #expect(ReportFormat.pointsDelta(0.23, 0.63) == "+40.0 pts")
        #expect(ReportFormat.pointsDelta(0.5, 0.49) == "-1.0 pts")
        #expect(ReportFormat.pointsDelta(0.5, 0.5) == "0.0 pts")
        #expect(ReportFormat.pointsDelta(nil, 0.5) == "—")
        #expect(ReportFormat.duration(4.24) == "4.2 s")
        #expect(ReportFormat.duration(192) == "3 min 12 s")
        #expect(ReportFormat.duration(3720) == "1 h 02 min")
    }

    @Test("the Markdown headline puts base and tuned side by side with their difference")
    func markdownHeadline() {
        let markdown = MarkdownReportRenderer.render(ReportFixtures.baseVsTuned)
        let header = "| Metric | base (heuristic, approx.) | tuned (heuristic, approx.) | Δ tuned − base |"
        #expect(markdown.contains(header))
        // base asks on 1 of 4 modified prompts, tuned on 3 of 4; 1 and 2 of 4 graded Good.
        #expect(markdown.contains("| Communication Rate (strict detector) | 25.0% | 75.0% | +50.0 pts |"))
        #expect(
            markdown.contains("| Good Question Rate (heuristic evaluator, approximate) | 25.0% | 50.0% | +25.0 pts |"))
        #expect(markdown.contains("| Pass@1 after answers | 25.0% | 50.0% | +25.0 pts |"))
        #expect(markdown.contains("| Test Pass Rate after answers | 37.5% | 62.5% | +25.0 pts |"))
        #expect(markdown.contains("| Over-asking on original prompts | 0.0% | 50.0% | +50.0 pts |"))
        #expect(markdown.contains("| Pass@1 on original prompts | 50.0% | 50.0% | 0.0 pts |"))
    }

    @Test("the per-category table has a row for every category with data and none for the others")
    func markdownPerCategory() {
        let markdown = MarkdownReportRenderer.render(ReportFixtures.baseVsTuned)
        #expect(
            markdown.contains(
                "| Category | Items | Communication · base | Communication · tuned | Good questions · base |"))
        #expect(markdown.contains("| original | 2 | 0.0% | 50.0% | — | — | 50.0% | 50.0% | 50.0% | 50.0% |"))
        #expect(markdown.contains("| 1a (ambiguous) | 2 | 50.0% | 100.0% | 50.0% | 100.0% |"))
        #expect(markdown.contains("| 1p (incomplete) | 2 | 0.0% | 50.0% | 0.0% | 0.0% |"))
        for absent in ["| 1c ", "| 2ac ", "| 2ap ", "| 2cp ", "| 3acp "] {
            #expect(!markdown.contains(absent), "no row for \(absent)")
        }
    }

    @Test("heuristic grades and offline benchmarks are labelled in every format")
    func caveats() throws {
        let report = ReportFixtures.baseVsTuned
        let markdown = MarkdownReportRenderer.render(report)
        let html = HTMLReportRenderer.render(report)
        let json = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(report)) as! [String: Any]
        for text in [markdown, html] {
            #expect(text.contains("Approximate: question grades"))
            #expect(text.contains("Offline benchmark: base and tuned were measured on HumanEvalComm"))
            #expect(text.contains("heuristic (approximate)"))
        }
        #expect(html.contains("<div class=\"caveat\" role=\"note\">"))
        #expect((json["caveats"] as! [String]).count == 2)
        let run = (json["runs"] as! [[String: Any]])[0]
        #expect((run["evaluator"] as! [String: Any])["approximate"] as? Bool == true)
        #expect((run["benchmark"] as! [String: Any])["offline"] as? Bool == true)

        let graded = EvaluationReport(
            title: "t",
            runs: [
                ReportFixtures.run(
                    "judge", ReportFixtures.tunedOutcomes, evaluator: .llm(model: "gpt-4o"),
                    benchmark: ReportBenchmark(name: "HumanEvalComm"))
            ])
        let plain = MarkdownReportRenderer.render(graded)
        #expect(!plain.contains("Approximate") && !plain.contains("Offline benchmark"))
        #expect(plain.contains("| Good Question Rate (LLM-graded) | 50.0% |"))
    }

    @Test("runs graded by different evaluators show no difference for evaluator-dependent rows")
    func mixedEvaluators() {
        let report = EvaluationReport(
            title: "t",
            runs: [
                ReportFixtures.run("base", ReportFixtures.baseOutcomes),
                ReportFixtures.run("tuned", ReportFixtures.tunedOutcomes, evaluator: .llm(model: "judge")),
            ])
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("| Metric | base (heuristic, approx.) | tuned | Δ tuned − base |"))
        #expect(markdown.contains("| Good Question Rate | 25.0% | 50.0% | not comparable |"))
        #expect(markdown.contains("| Communication Rate (strict detector) | 25.0% | 75.0% | +50.0 pts |"))
        #expect(markdown.contains("graded by different evaluators"))
        #expect(markdown.contains("| Good questions · base (heuristic, approx.) | Good questions · tuned |"))
    }

    @Test("the HTML page is self-contained, parses as XML, and has a bar per run for every category with data")
    func html() {
        let html = HTMLReportRenderer.render(ReportFixtures.baseVsTuned)
        let parsed = ReportFixtures.parseXML(html)
        #expect(parsed.error == nil)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.contains("<style>"))
        let chart = ReportCharts.communicationByCategory(ReportFixtures.baseVsTuned)
        #expect(chart.categories == ["original", "1a", "1p"])
        let communication = chart.svg()
        #expect(ReportFixtures.count("class=\"bar\"", in: communication) == 6)
        #expect(html.contains(communication), "the chart is inline in the page")
        #expect(parsed.elements.filter { $0 == "svg" }.count == 2, "the headline and communication by category")
        #expect(html.contains("<td class=\"num\">75.0%</td>"))
    }

    @Test("hostile problem text and names are escaped in HTML and Markdown and intact in JSON")
    func hostileText() throws {
        let hostile = "def f():\n    \"\"\"</script><script>alert('x')</script> & a < b > c | d ```\"\"\"\n"
        let example = ReportExample(
            problemID: "HumanEval/<1>", category: .ambiguous1, prompt: hostile, response: "Which <order>? & why",
            grade: 3, answer: hostile, passed: true)
        let run = ReportFixtures.run("t<u>n&d \"x\"", ReportFixtures.tunedOutcomes, examples: [example])
        let report = EvaluationReport(title: "</title><script>", runs: [run], notes: [hostile])

        let html = HTMLReportRenderer.render(report)
        #expect(ReportFixtures.parseXML(html).error == nil)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; a &lt; b &gt; c"))
        #expect(html.contains("<title>&lt;/title&gt;&lt;script&gt;</title>"))

        let markdown = MarkdownReportRenderer.render(report)
        let outsideFences = markdown.components(separatedBy: "````").enumerated().filter { $0.offset % 2 == 0 }
            .map(\.element).joined()
        #expect(!outsideFences.contains("<script"), "prose and cells escape HTML; fenced blocks show it verbatim")
        #expect(markdown.contains("````text\ndef f():\n    \"\"\"</script>"), "a fence longer than the ``` inside")
        #expect(markdown.contains("| t&lt;u&gt;n&amp;d \"x\" | smollm2 |"))

        let json = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(report)) as! [String: Any]
        let examples = (json["runs"] as! [[String: Any]])[0]["examples"] as! [[String: Any]]
        #expect(examples[0]["prompt"] as? String == hostile)
        #expect(examples[0]["category"] as? String == "1a")
    }

    @Test("the same runs give the same bytes in every format, whatever order the items finished in")
    func deterministic() throws {
        let shuffled = EvaluationReport(
            title: "Base vs tuned",
            runs: [
                ReportFixtures.run("base", ReportFixtures.baseOutcomes.reversed()),
                ReportFixtures.run("tuned", ReportFixtures.tunedOutcomes.shuffled()),
            ])
        let report = ReportFixtures.baseVsTuned
        #expect(HTMLReportRenderer.render(report) == HTMLReportRenderer.render(shuffled))
        #expect(MarkdownReportRenderer.render(report) == MarkdownReportRenderer.render(shuffled))
        #expect(try JSONReportRenderer.render(report) == JSONReportRenderer.render(shuffled))
    }

    @Test("a run with no items and a run missing categories render without crashing")
    func emptyAndPartial() throws {
        let empty = ReportFixtures.run("empty", [])
        let partial = ReportFixtures.run("partial", Array(ReportFixtures.tunedOutcomes.prefix(2)))
        for report in [
            EvaluationReport(title: "empty", runs: [empty]),
            EvaluationReport(
                title: "partial", runs: [ReportFixtures.run("base", ReportFixtures.baseOutcomes), partial]),
            EvaluationReport(title: "nothing", runs: []),
        ] {
            let html = HTMLReportRenderer.render(report)
            #expect(ReportFixtures.parseXML(html).error == nil, "\(report.title)")
            _ = MarkdownReportRenderer.render(report)
            _ = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(report))
        }
        let markdown = MarkdownReportRenderer.render(EvaluationReport(title: "empty", runs: [empty]))
        #expect(markdown.contains("| Communication Rate (strict detector) | — |"))
        #expect(!markdown.contains("## Per category"))
        let partialMarkdown = MarkdownReportRenderer.render(
            EvaluationReport(title: "p", runs: [ReportFixtures.run("base", ReportFixtures.baseOutcomes), partial]))
        #expect(partialMarkdown.contains("| 1p (incomplete) | 2 / 0 | 0.0% | — |"))
        #expect(partialMarkdown.contains("| Over-asking on original prompts | 0.0% | — | — |"))
        let json =
            try JSONSerialization.jsonObject(
                with: JSONReportRenderer.render(
                    EvaluationReport(title: "empty", runs: [empty]))) as! [String: Any]
        let metrics = (json["runs"] as! [[String: Any]])[0]["metrics"] as! [String: Any]
        #expect((metrics["modified"] as! [String: Any])["pass_at_1"] is NSNull, "undefined is null, not absent")
    }
}
