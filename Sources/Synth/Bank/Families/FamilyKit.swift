/// Input generation shared by the bank's family generators.
///
/// Every family draws its random test inputs from a generator seeded by the problem id, so
/// the bank is identical on every machine and every run.
struct InputDraw {
    private var generator: SeededGenerator

    init(_ id: String) {
        generator = SeededGenerator(seed: 0xC1A2_1F7C_0DE5, salt: id)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    mutating func ints(count: ClosedRange<Int>, in range: ClosedRange<Int>) -> [Int] {
        (0..<int(count)).map { _ in int(range) }
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    mutating func word(length: ClosedRange<Int>, letters: String = "abcdefghijklmnoprstu") -> String {
        let alphabet = Array(letters)
        return String((0..<int(length)).map { _ in alphabet[int(0...(alphabet.count - 1))] })
    }

    mutating func words(count: ClosedRange<Int>, length: ClosedRange<Int> = 1...6) -> [String] {
        (0..<int(count)).map { _ in word(length: length) }
    }
}

/// Python's floor division and modulo, which differ from Swift's for negative operands.
func pyDiv(_ a: Int, _ b: Int) -> Int { Int((Double(a) / Double(b)).rounded(.down)) }
func pyMod(_ a: Int, _ b: Int) -> Int { ((a % b) + b) % b }

extension Array where Element == PyValue {
    /// The ints of argument `index`, for the Swift models of the families.
    func ints(_ index: Int) -> [Int] {
        guard case .list(let items) = self[index] else { return [] }
        return items.compactMap { if case .int(let v) = $0 { return v } else { return nil } }
    }

    func int(_ index: Int) -> Int {
        if case .int(let v) = self[index] { return v }
        return 0
    }

    func str(_ index: Int) -> String {
        if case .str(let v) = self[index] { return v }
        return ""
    }

    func strs(_ index: Int) -> [String] {
        guard case .list(let items) = self[index] else { return [] }
        return items.compactMap { if case .str(let v) = $0 { return v } else { return nil } }
    }

    func pairs(_ index: Int) -> [(String, Int)] {
        guard case .dict(let items) = self[index] else { return [] }
        return items.compactMap {
            if case .str(let k) = $0.key, case .int(let v) = $0.value { return (k, v) } else { return nil }
        }
    }
}

/// A dict argument with string keys and int values.
func strIntDict(_ pairs: [(String, Int)]) -> PyValue { .dict(pairs.map { ($0.0, PyValue.int($0.1)) }) }

/// One bank problem from its parts; the cases come from `inputs` through the Swift model `compute`.
func bankProblem(
    _ id: String, family: String, name: String, params: [(String, String)], returns: String,
    sentences: [String], facts: [SpecFact], body: String, inputs: [[PyValue]],
    examples: Int = 2, preamble: [String] = [], compute: ([PyValue]) -> PyValue
) -> BankProblem {
    BankProblem(spec: BankSpec(
        id: id, entryPoint: name, parameters: params.map { (name: $0.0, type: $0.1) }, returnType: returns,
        sentences: sentences, facts: facts, body: body, cases: BankSpec.cases(inputs, compute),
        exampleCount: examples, preamble: preamble, family: family))
}
