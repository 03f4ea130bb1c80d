import ClarifyCore
import Execution
import Foundation
import Testing

@testable import Eval

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Small, hand-counted runs for the report tests: every number below can be checked by eye.
enum ReportFixtures {
    static func execution(_ id: String, passed: Int, of total: Int) -> ExecutionReport {
        ExecutionReport(
            problemID: id, outcomes: (0..<total).map { TestOutcome(index: $0, passed: $0 < passed, status: .passed) })
    }

    static func outcome(
        _ id: String, _ category: ClarificationCategory, asked: Bool, grade: Int? = nil, passed: Int, of total: Int
    ) -> ItemOutcome {
        ItemOutcome(
            problemID: id, category: category, firstResponse: asked ? .question : .code,
            firstResponsePaper: asked ? .question : .code, questionGrade: grade,
            executions: [execution(id, passed: passed, of: total)])
    }

    /// Base: asks once in four on 1a, never on 1p, never on originals; tuned: asks on 3 of 4 modified
    /// prompts (2 Good), and once on an original prompt. Neither has 2ac…3acp items.
    static var baseOutcomes: [ItemOutcome] {
        [
            outcome("HumanEval/0", .ambiguous1, asked: true, grade: 3, passed: 2, of: 2),
            outcome("HumanEval/1", .ambiguous1, asked: false, grade: 1, passed: 0, of: 2),
            outcome("HumanEval/0", .incomplete1, asked: false, grade: 1, passed: 1, of: 2),
            outcome("HumanEval/1", .incomplete1, asked: false, grade: 1, passed: 0, of: 2),
            outcome("HumanEval/0", .original, asked: false, passed: 2, of: 2),
            outcome("HumanEval/1", .original, asked: false, passed: 0, of: 2),
        ]
    }

    static var tunedOutcomes: [ItemOutcome] {
        [
            outcome("HumanEval/0", .ambiguous1, asked: true, grade: 3, passed: 2, of: 2),
            outcome("HumanEval/1", .ambiguous1, asked: true, grade: 3, passed: 2, of: 2),
            outcome("HumanEval/0", .incomplete1, asked: true, grade: 2, passed: 1, of: 2),
            outcome("HumanEval/1", .incomplete1, asked: false, grade: 1, passed: 0, of: 2),
            outcome("HumanEval/0", .original, asked: true, passed: 2, of: 2),
            outcome("HumanEval/1", .original, asked: false, passed: 0, of: 2),
        ]
    }

    static let offline = ReportBenchmark(
        name: "HumanEvalComm", isOffline: true, detail: "built from HumanEval by the rule-based synthesizer")

    static func run(
        _ name: String, _ outcomes: [ItemOutcome], evaluator: ReportEvaluator = .heuristic,
        benchmark: ReportBenchmark = offline, examples: [ReportExample] = []
    ) -> ReportRun {
        ReportRun(
            name: name, model: "smollm2", adapter: name == "tuned" ? "runs/x/adapter" : nil, benchmark: benchmark,
            evaluator: evaluator, seed: 7, samples: 1, settings: [ReportSetting("temperature", "0")],
            metrics: MetricBreakdown(outcomes), examples: examples)
    }

    static var baseVsTuned: EvaluationReport {
        EvaluationReport(
            title: "Base vs tuned", runs: [run("base", baseOutcomes), run("tuned", tunedOutcomes)])
    }

    /// Parses `text` as XML, returning the parser's error (nil when well-formed) and the element names seen.
    static func parseXML(_ text: String) -> (error: String?, elements: [String]) {
        let delegate = ElementCollector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        let ok = parser.parse()
        return (
            ok ? nil : "\(parser.parserError.map { "\($0)" } ?? "unknown") at line \(parser.lineNumber)",
            delegate.elements
        )
    }

    /// Occurrences of `needle` in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}

final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(elementName)
    }
}
