import ClarifyCore
import Foundation

/// Near-duplicate removal among the generated problems, by n-gram Jaccard similarity.
///
/// A problem's fingerprint is the set of word 3-grams of its statement (docstring) and reference
/// body; a problem whose fingerprint has Jaccard similarity ≥ `threshold` with one kept earlier (in
/// item order) is a near duplicate — a 1.5B model given similar snippets writes the same exercise
/// in other words. Exact comparison against every kept problem: quadratic, and a few thousand
/// problems take well under a second, so no MinHash approximation is needed at this size.
public struct NearDuplicateFilter: Sendable {
    public var threshold: Double
    private var kept: [(id: String, grams: Set<String>)] = []

    public init(threshold: Double = 0.6) {
        self.threshold = threshold
    }

    /// The id of the kept problem this one nearly duplicates, or `nil` (and it is kept).
    public mutating func admit(id: String, text: String) -> String? {
        let grams = Self.shingles(text)
        for other in kept where Self.jaccard(grams, other.grams) >= threshold {
            return other.id
        }
        kept.append((id, grams))
        return nil
    }

    static func shingles(_ text: String, n: Int = 3) -> Set<String> {
        let words = Decontamination.tokens(text)
        guard words.count >= n else { return [words.joined(separator: " ")] }
        return Set((0...(words.count - n)).map { words[$0..<($0 + n)].joined(separator: " ") })
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }
}

/// Decontamination of generated problems against benchmarks (HumanEval, and any file given with
/// `--decontaminate`): by 13-gram overlap of statement or solution (``Decontamination``), and by
/// the function's name or its parameters (names and annotations), which catch a benchmark
/// problem reworded.
public struct BenchmarkContamination: Sendable {
    /// Overlap share above which a problem is contaminated: any shared 13-gram of prose or code
    /// is already rare by chance, a tenth of them is a copied passage.
    public var maximumOverlap: Double
    private let ngrams: Decontamination
    private let names: [String: String]
    private let signatures: [String: String]

    public init(benchmarks: [Problem], maximumOverlap: Double = 0.1) {
        self.maximumOverlap = maximumOverlap
        ngrams = Decontamination(reference: benchmarks)
        var names: [String: String] = [:]
        var signatures: [String: String] = [:]
        for problem in benchmarks {
            guard let entry = problem.entryPoint else { continue }
            names[entry.lowercased()] = names[entry.lowercased()] ?? problem.id
            if let signature = Self.signature(problem.referenceSolution ?? problem.prompt, entryPoint: entry) {
                signatures[signature] = signatures[signature] ?? problem.id
            }
        }
        self.names = names
        self.signatures = signatures
    }

    /// Why the problem is contaminated (naming the benchmark problem), or `nil`.
    public func reason(_ problem: Problem) -> String? {
        guard let entry = problem.entryPoint else { return nil }
        if let id = names[entry.lowercased()] { return "function name \(entry) as in \(id)" }
        if let signature = Self.signature(problem.prompt, entryPoint: entry), let id = signatures[signature] {
            return "signature as in \(id)"
        }
        let overlap = ngrams.overlap(problem)
        if overlap.statement > maximumOverlap { return "statement 13-gram overlap \(Int(overlap.statement * 100))%" }
        if overlap.solution > maximumOverlap { return "solution 13-gram overlap \(Int(overlap.solution * 100))%" }
        return nil
    }

    /// `(a:list[int],b:int)`: the parameters with their annotations, spaces and defaults dropped —
    /// a benchmark function renamed keeps it. `nil` under two parameters (`(s:str)` is everywhere).
    static func signature(_ source: String, entryPoint: String) -> String? {
        guard let start = source.range(of: "def \(entryPoint)(") else { return nil }
        var depth = 1
        var parameters = ""
        for character in source[start.upperBound...] {
            if character == "(" || character == "[" { depth += 1 }
            if character == ")" || character == "]" { depth -= 1 }
            if depth == 0 { break }
            parameters.append(character)
        }
        var names: [String] = []
        var level = 0
        var current = ""
        for character in parameters + "," {
            if character == "[" || character == "(" { level += 1 }
            if character == "]" || character == ")" { level -= 1 }
            if character == ",", level == 0 {
                let name = current.split(separator: "=").first?.filter { !$0.isWhitespace } ?? ""
                if !name.isEmpty { names.append(String(name)) }
                current = ""
            } else {
                current.append(character)
            }
        }
        return names.count >= 2 ? "(\(names.joined(separator: ",")))" : nil
    }
}
