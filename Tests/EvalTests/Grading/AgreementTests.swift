import Testing

@testable import Eval

@Suite("Agreement with reference grades")
struct AgreementTests {
    @Test("quadratic-weighted kappa and exact agreement match a hand computation")
    func handComputed() {
        // Rows: reference 1..3, columns: grader 1..3. Marginals 3/4/3 both ways, N = 10.
        // Observed weighted disagreement: 0.25·1 (1→2) + 0.25·1 (2→3) + 1·1 (3→1) = 1.5.
        // Expected: 4 cells one apart × 0.25·12/10 + 2 cells two apart × 1·9/10 = 1.2 + 1.8 = 3.0.
        // κ = 1 − 1.5 / 3.0 = 0.5; exact agreement 7/10.
        let agreement = Agreement(confusion: [[2, 1, 0], [0, 3, 1], [1, 0, 2]])
        #expect(agreement.items == 10)
        #expect(abs(agreement.exact! - 0.7) < 1e-12)
        #expect(abs(agreement.quadraticKappa! - 0.5) < 1e-12)
    }

    @Test("pairs fill the confusion matrix by reference row and grader column")
    func pairsFillTheMatrix() {
        let agreement = Agreement(pairs: [(3, 3), (3, 2), (1, 2), (2, 2)])
        #expect(agreement.confusion == [[0, 1, 0], [0, 1, 0], [0, 1, 1]])
        #expect(agreement.exact == 0.5)
    }

    @Test("perfect agreement is kappa 1, a grader that gives one grade only has no kappa")
    func extremes() {
        #expect(Agreement(pairs: [(1, 1), (2, 2), (3, 3)]).quadraticKappa == 1)
        let constant = Agreement(pairs: [(3, 3), (3, 3)])
        #expect(constant.quadraticKappa == nil)
        #expect(constant.exact == 1)
        #expect(Agreement(pairs: []).exact == nil)
    }

    @Test("grading everything 3 against a skewed reference gives kappa 0 whatever the exact agreement")
    func constantGraderAgainstSkew() {
        let pairs = Array(repeating: (3, 3), count: 8) + [(2, 3), (1, 3)]
        let agreement = Agreement(pairs: pairs.map { (reference: $0.0, grade: $0.1) })
        #expect(agreement.exact == 0.8)
        #expect(agreement.quadraticKappa == 0)
    }
}
