import ClarifyCore
import Testing

@testable import Synth

@Suite("Quality control")
struct QualityControlTests {
    let quality = QualityControl()
    let original = "def f(x):\n    \"\"\"Return x sorted in ascending order.\"\"\"\n"

    func draft(_ prompt: String, questions: [String], kind: AmbiguityKind = .incomplete, removed: String = "in ascending order")
        -> ClarificationDraft
    {
        ClarificationDraft(
            variant: Variant(category: .incomplete1, prompt: prompt, changes: [
                Change(kind: kind, description: "removed", original: removed, clarification: "Sort ascending.")
            ]),
            summary: "Unclear.", questions: questions, answers: questions.map { _ in "Sort ascending." })
    }

    @Test("an unchanged rewrite, a statement instead of a question, and a leak are rejected")
    func rejections() {
        let rewrite = "def f(x):\n    \"\"\"Return x sorted.\"\"\"\n"
        #expect(quality.check(draft(original + "  ", questions: ["What order?"]), original: original, kept: []) == .unchanged)
        #expect(quality.check(draft(rewrite, questions: ["Tell me the order."]), original: original, kept: []) == .notAQuestion)
        #expect(quality.check(draft(rewrite, questions: ["Should it be in ascending order?"]), original: original, kept: []) == .leak)
        #expect(quality.check(draft(rewrite, questions: ["Which order do you want?"]), original: original, kept: []) == nil)
    }

    @Test("a near-duplicate of a kept rewrite of the same problem is rejected")
    func nearDuplicates() {
        let rewrite = "def f(x):\n    \"\"\"Return x sorted, keeping the first one of equal values and dropping none.\"\"\"\n"
        let almost = rewrite.replacingOccurrences(of: "none.", with: "none .")
        #expect(quality.check(draft(almost, questions: ["Which order?"]), original: original, kept: [rewrite]) == .nearDuplicate)
        #expect(QualityControl.jaccard(QualityControl.shingles("a b c d"), QualityControl.shingles("a b c d")) == 1)
    }

    @Test("over-long prompts and too many questions are rejected")
    func lengths() {
        let long = "def f(x):\n    \"\"\"" + String(repeating: "word ", count: 2000) + "\"\"\"\n"
        #expect(quality.check(draft(long, questions: ["Which order?"]), original: original, kept: []) == .tooLong)
        let many = Array(repeating: "Which order?", count: 6)
        #expect(quality.check(draft("def f(x): pass", questions: many), original: original, kept: []) == .tooLong)
    }
}
