import ClarifyCore
import Testing

@testable import Eval

@Suite("Evaluators")
struct EvaluatorTests {
    let original = """
        def sort_numbers(numbers: list) -> list:
            \"\"\"Return the numbers sorted in ascending order.
            >>> sort_numbers([3, 1, 2])
            [1, 2, 3]
            \"\"\"
        """
    let modified = """
        def sort_numbers(numbers: list) -> list:
            \"\"\"Return the numbers sorted.
            >>> sort_numbers([3, 1, 2])
            [1, 2, 3]
            \"\"\"
        """

    @Test("the heuristic grades questions about what changed Good, others Fair, and no questions 1")
    func heuristicGrades() {
        let evaluator = HeuristicEvaluator()
        func grade(_ questions: String) -> Int {
            evaluator.verdict(
                for: EvaluationQuery(original: original, modified: modified, questions: questions, category: .ambiguous1)
            ).grade
        }
        #expect(grade("Should the result be in ascending or descending order?") == 3)
        #expect(grade("Should I handle None inputs? What Python version do you use?") == 2)
        #expect(grade("") == 1)
        #expect(grade("def sort_numbers(numbers): return sorted(numbers)") == 1)
    }

    @Test("the heuristic answers with the original lines the modification removed, or the change records")
    func heuristicAnswers() {
        let evaluator = HeuristicEvaluator()
        let plain = evaluator.verdict(
            for: EvaluationQuery(original: original, modified: modified, questions: "Which order?", category: .ambiguous1))
        #expect(plain.answers.contains("ascending order"))
        #expect(!plain.answers.contains(">>>"))
        let recorded = evaluator.verdict(
            for: EvaluationQuery(
                original: original, modified: modified, questions: "Which order?", category: .ambiguous1,
                changes: [
                    Change(
                        kind: .ambiguous, description: "order made vague", original: "ascending",
                        clarification: "Sort from smallest to largest.")
                ]))
        #expect(recorded.answers == "Sort from smallest to largest.")
    }

    @Test("evaluator replies are parsed in the forms models write them")
    func replyParser() {
        #expect(EvaluatorReplyParser.parse("QUALITY=3\nANSWERS=```Ascending.```") == EvaluatorVerdict(answers: "Ascending.", grade: 3))
        #expect(EvaluatorReplyParser.parse("**Quality**: [2]\n**Answers**: Use ascending order.")
            == EvaluatorVerdict(answers: "Use ascending order.", grade: 2))
        #expect(EvaluatorReplyParser.parse("QUALITY=[1]\nANSWERS=```[]```")?.grade == 1)
        #expect(EvaluatorReplyParser.parse("quality = 3 answers = ```a\nb```")?.answers == "a\nb")
        #expect(EvaluatorReplyParser.parse("The questions are good.") == nil)
        #expect(EvaluatorReplyParser.parse("QUALITY=5\nANSWERS=```x```") == nil)
        #expect(EvaluatorReplyParser.parse("QUALITY=10") == nil)
    }

    @Test("the classifier reads the first of QUESTION, CODE and NEITHER")
    func classifierParser() {
        #expect(LLMQuestionClassifier.parse("QUESTION") == .question)
        #expect(LLMQuestionClassifier.parse("It is code.") == .code)
        #expect(LLMQuestionClassifier.parse("neither, really; not CODE") == .neither)
        #expect(LLMQuestionClassifier.parse("I cannot tell") == nil)
    }
}
