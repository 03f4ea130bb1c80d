import Testing

@testable import Eval

@Suite("Word diff of the two descriptions")
struct WordDiffTests {
    @Test("replaced words and clauses are found as they appear in each text, whitespace is not a change")
    func changes() {
        let diff = WordDiff(
            original: "Return the numbers sorted in ascending order,\n  without duplicates.",
            modified: "Return the numbers   sorted in some order, with a twist.")
        #expect(
            diff.changes == [
                .init(original: "ascending", modified: "some"),
                .init(original: "without duplicates", modified: "with a twist"),
            ])
        #expect(diff.rendered() == "- \"ascending\" was changed to \"some\"\n- \"without duplicates\" was changed to \"with a twist\"")
    }

    @Test("a removal and an addition are named as such; identical texts have no difference")
    func removalsAndAdditions() {
        #expect(WordDiff(original: "a b c", modified: "a c").rendered() == "- removed: \"b\"")
        #expect(WordDiff(original: "a c", modified: "a b c").rendered() == "- added: \"b\"")
        #expect(WordDiff(original: "same", modified: "same").rendered() == "(no difference found)")
    }

    @Test("the benchmark's rename of the function to candidate is not shown")
    func renameIgnored() {
        let diff = WordDiff(original: "def has_close(x):\n    has_close(1)", modified: "def candidate(x):\n    candidate(1)")
        #expect(diff.changes.isEmpty)
    }
}
