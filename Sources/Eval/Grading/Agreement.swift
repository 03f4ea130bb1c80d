/// How one grader's 1–3 grades agree with a reference's: the confusion matrix, exact agreement and
/// Cohen's kappa with quadratic weights — the statistic for ordered grades, where 3 for 2 is a
/// smaller miss than 3 for 1 (weights w_ij = (i − j)² / (k − 1)²; κ = 1 − Σ w·O / Σ w·E, E the
/// product of the marginals over N; Cohen 1968).
public struct Agreement: Sendable, Hashable, Codable {
    /// `confusion[r][g]`: items the reference graded r + 1 and the grader g + 1.
    public var confusion: [[Int]]
    public var items: Int
    /// Share of items graded the same.
    public var exact: Double?
    /// nil when undefined: no items, or both graders gave one grade only (Σ w·E = 0).
    public var quadraticKappa: Double?

    enum CodingKeys: String, CodingKey {
        case confusion, items, exact
        case quadraticKappa = "quadratic_kappa"
    }

    public init(pairs: [(reference: Int, grade: Int)], levels: Int = 3) {
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: levels), count: levels)
        for pair in pairs where (1...levels).contains(pair.reference) && (1...levels).contains(pair.grade) {
            confusion[pair.reference - 1][pair.grade - 1] += 1
        }
        self.init(confusion: confusion)
    }

    public init(confusion: [[Int]]) {
        let k = confusion.count
        let n = confusion.joined().reduce(0, +)
        self.confusion = confusion
        items = n
        guard n > 0 else {
            exact = nil
            quadraticKappa = nil
            return
        }
        exact = Double((0..<k).map { confusion[$0][$0] }.reduce(0, +)) / Double(n)
        let rows = confusion.map { Double($0.reduce(0, +)) }
        let columns = (0..<k).map { j in Double(confusion.map { $0[j] }.reduce(0, +)) }
        var observed = 0.0, expected = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let w = Double((i - j) * (i - j)) / Double((k - 1) * (k - 1))
                observed += w * Double(confusion[i][j])
                expected += w * rows[i] * columns[j] / Double(n)
            }
        }
        quadraticKappa = expected > 0 ? 1 - observed / expected : nil
    }
}
