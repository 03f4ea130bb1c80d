import ClarifyCore
import Execution
import Testing

@testable import Eval

func report(_ id: String, passed: Int, of total: Int) -> ExecutionReport {
    ExecutionReport(
        problemID: id,
        outcomes: (0..<total).map {
            TestOutcome(index: $0, passed: $0 < passed, status: .passed)
        })
}

func item(
    _ id: String, _ category: ClarificationCategory, _ kind: ResponseKind, paper: ResponseKind? = nil,
    grade: Int? = nil, _ executions: [ExecutionReport]
) -> ItemOutcome {
    ItemOutcome(
        problemID: id, category: category, firstResponse: kind, firstResponsePaper: paper ?? kind,
        questionGrade: grade, executions: executions)
}

@Suite("Metrics")
struct MetricsTests {
    @Test(
        "pass@k matches 1 − C(n−c, k)/C(n, k) (values from Python's math.comb)",
        arguments: [
            (10, 3, 5, 0.9166666666666666), (200, 13, 10, 0.4975511147306061),
            (200, 13, 100, 0.9999194971988055), (5, 0, 1, 0.0), (5, 5, 5, 1.0), (7, 2, 3, 0.7142857142857143),
            (10, 3, 1, 0.3),
        ])
    func passAtK(n: Int, c: Int, k: Int, expected: Double) {
        #expect(abs(PassAtK.estimate(n: n, correct: c, k: k) - expected) < 1e-12)
    }

    @Test("mean pass@k is undefined when a problem has fewer than k samples")
    func passAtKNeedsSamples() {
        #expect(PassAtK.mean([(n: 5, correct: 1), (n: 20, correct: 0)], k: 10) == nil)
        #expect(PassAtK.mean([(n: 2, correct: 1), (n: 2, correct: 2)], k: 1) == 0.75)
        #expect(PassAtK.mean([], k: 1) == nil)
    }

    @Test("communication, good questions, pass@1 and test pass rate, overall and per category")
    func summary() {
        let outcomes = [
            item("A", .ambiguous1, .question, grade: 3, [report("A", passed: 4, of: 4)]),
            item("B", .ambiguous1, .code, paper: .question, grade: 1, [report("B", passed: 1, of: 4)]),
            item("C", .incomplete1, .question, grade: 2, [report("C", passed: 0, of: 2)]),
            item("D", .incomplete1, .neither, paper: .question, grade: 1, [report("D", passed: 2, of: 2)]),
            item("A", .original, .code, [report("A", passed: 4, of: 4)]),
            item("B", .original, .question, [report("B", passed: 0, of: 4)]),
        ]
        let metrics = MetricBreakdown(outcomes)
        #expect(metrics.modified.items == 4)
        #expect(metrics.modified.communicationRate == 0.5)
        #expect(metrics.modified.communicationRatePaper == 1.0)
        #expect(metrics.modified.goodQuestionRate == 0.25)
        #expect(metrics.modified.passAt1 == 0.5)
        let expectedRate: Double = (1 + 0.25 + 0 + 1) / 4
        #expect(metrics.modified.testPassRate == expectedRate)
        #expect(metrics.perCategory[.ambiguous1]?.communicationRate == 0.5)
        #expect(metrics.perCategory[.incomplete1]?.passAt1 == 0.5)
        #expect(metrics.perCategory[.ambiguousIncomplete] == nil)
        #expect(metrics.overAskingRate == 0.5)
        #expect(metrics.original.passAt1 == 0.5)
        #expect(metrics.original.goodQuestionRate == nil)
    }

    @Test("several samples per item give unbiased pass@k and average the test pass rate")
    func samples() {
        let outcomes = [
            item("A", .original, .code, (0..<10).map { report("A", passed: $0 < 3 ? 2 : 0, of: 2) }),
            item("B", .original, .code, (0..<10).map { _ in report("B", passed: 1, of: 2) }),
        ]
        let summary = MetricSummary(outcomes)
        #expect(abs(summary.passAt1! - 0.15) < 1e-12)
        #expect(abs(summary.passAtK[10]! - 0.5) < 1e-12)
        #expect(summary.passAtK[100] == nil)
        let expectedRate: Double = (0.3 + 0.5) / 2
        #expect(abs(summary.testPassRate! - expectedRate) < 1e-12)
    }

    @Test("a problem with no tests never counts as passed")
    func noTests() {
        #expect(!ExecutionReport(problemID: "x", outcomes: []).passed)
    }
}
