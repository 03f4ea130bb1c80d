import Foundation
import Testing

@testable import ClarifyCore

@Suite("Dataset loaders")
struct DatasetLoaderTests {
    @Test("each fixture's format is detected from its first record")
    func detection() throws {
        let expected: [(String, DatasetFormat)] = [
            ("humaneval-sample.jsonl.gz", .humaneval), ("humanevalcomm-v1-sample.jsonl", .humanevalcomm),
            ("humanevalcomm-v2-sample.jsonl", .humanevalcomm), ("mbpp-sample.jsonl", .mbpp),
            ("apps-sample.jsonl", .apps), ("chat-sample.jsonl", .chat),
        ]
        for (name, format) in expected {
            #expect(try DatasetFormat.detect(path: fixture(name)) == format, "\(name)")
        }
    }

    @Test("HumanEval records become problems with a check program and the full reference")
    func humanEval() throws {
        let (problems, _) = try DatasetReader.loadProblems(path: fixture("humaneval-sample.jsonl.gz"))
        let first = try #require(problems.first)
        #expect(first.entryPoint == "has_close_elements")
        #expect(first.referenceSolution?.hasPrefix(first.prompt) == true)
        #expect(first.referenceSolution?.contains("distance = abs(elem - elem2)") == true)
        guard case .checkProgram(let program) = first.tests else {
            Issue.record("expected a check program")
            return
        }
        #expect(program.contains("def check(candidate):"))
        #expect(first.source == "humaneval")
    }

    @Test("HumanEvalComm v1: every prompt field becomes a variant and every test is kept")
    func humanEvalCommV1() throws {
        let (problems, _) = try DatasetReader.loadProblems(path: fixture("humanevalcomm-v1-sample.jsonl"))
        #expect(problems.map(\.id) == ["HumanEval/0", "HumanEval/2", "HumanEval/4", "HumanEval/32"])
        #expect(
            problems[0].variants.map(\.category) == [.ambiguous1, .inconsistent1, .incomplete1, .ambiguousIncomplete])
        #expect(problems[2].variants.map(\.category.rawValue) == ["1a", "1c", "1p", "2ac", "2ap", "2cp", "3acp"])
        #expect(problems[0].variant(.ambiguous1)?.prompt.contains("def candidate(") == true)
        #expect(problems.map(\.tests.count) == [7, 3, 3, 100])

        guard case .cases(let expression) = problems[1].tests else {
            Issue.record("expected test cases")
            return
        }
        #expect(
            expression[1] == TestCase(input: "1.33", output: "1e-6", relation: "abs(candidate(1.33) - 0.33) < 1e-6"))
        #expect(!expression[1].isTemplate)
    }

    @Test("HumanEval/32's $input$ templates keep input and output as the text Python writes")
    func templates() throws {
        let (problems, _) = try DatasetReader.loadProblems(path: fixture("humanevalcomm-v1-sample.jsonl"))
        guard case .cases(let cases) = problems[3].tests else {
            Issue.record("expected test cases")
            return
        }
        let golden = try JSONDecoder().decode(
            [[String]].self,
            from: Data(contentsOf: URL(fileURLWithPath: fixture("humanevalcomm-32-template-text.json"))))
        #expect(cases.count == golden.count)
        #expect(cases.allSatisfy { $0.isTemplate })
        #expect(cases.map { [$0.input, $0.output] } == golden)
        #expect(cases[0].relation.hasPrefix("from $demo$ import poly\n"))
    }

    @Test("HumanEvalComm v2 reads the same layout with its own set of prompts")
    func humanEvalCommV2() throws {
        let (problems, _) = try DatasetReader.loadProblems(path: fixture("humanevalcomm-v2-sample.jsonl"))
        let problem83 = try #require(problems.first { $0.id == "HumanEval/83" })
        #expect(problem83.variants.map(\.category) == [.ambiguous1, .incomplete1])
        #expect(problems.first { $0.id == "HumanEval/4" }?.variant(.all3) != nil)
    }

    @Test("MBPP records keep setup, asserts and challenge asserts apart and find the entry point")
    func mbpp() throws {
        let (problems, _) = try DatasetReader.loadProblems(path: fixture("mbpp-sample.jsonl"))
        #expect(problems.map(\.id) == ["MBPP/11", "MBPP/2", "MBPP/4"])
        #expect(problems.map(\.entryPoint) == ["remove_Occ", "similar_elements", "heap_queue_largest"])
        guard case .asserts(let setup, let asserts, let challenge) = problems[0].tests,
            case .asserts(let setup4, _, _) = problems[2].tests
        else {
            Issue.record("expected asserts")
            return
        }
        #expect(setup.isEmpty && setup4 == "import math")
        #expect(asserts.count == 3 && challenge.count == 2)
        #expect(problems[0].tests.count == 5)
    }

    @Test("APPS decodes the JSON inside its string fields: stdio cases, call-based cases, and none")
    func apps() throws {
        let (problems, _) = try DatasetReader.loadProblems(path: fixture("apps-sample.jsonl"))
        #expect(
            problems[0].tests
                == .stdio([StdioCase(input: "3\n1 2 3\n", output: "6\n"), StdioCase(input: "1\n-5\n", output: "-5\n")]))
        #expect(problems[0].metadata["solutions"] == "2" && problems[0].metadata["difficulty"] == "introductory")
        #expect(problems[0].entryPoint == nil)
        #expect(problems[1].entryPoint == "max_product")
        #expect(
            problems[1].tests
                == .stdio([
                    StdioCase(input: "[[1, 2, 3]]", output: "[6]"),
                    StdioCase(input: "[[-10, -10, 1, 3]]", output: "[100]"),
                ]))
        #expect(problems[1].metadata["starter_code"] == "def max_product(nums):\n\t")
        #expect(problems[2].tests.count == 0 && problems[2].referenceSolution == nil)
    }

    @Test("APPS errors inside the embedded JSON name the outer field")
    func appsEmbeddedErrors() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file(
            "apps.jsonl",
            #"{"problem_id": 1, "question": "q", "solutions": "[\"x\"]", "input_output": "{\"inputs\": [\"1\"]}"}"#
                + "\n"
                + #"{"problem_id": 2, "question": "q", "solutions": "not json", "input_output": ""}"# + "\n"
                + #"{"problem_id": 3, "question": "q", "solutions": "", "input_output": "{\"inputs\": [\"1\"], \"outputs\": []}"}"#
                + "\n")
        let (_, stats) = try DatasetReader.loadProblems(
            path: path, format: .apps, options: JSONLReadOptions(onError: .skip))
        #expect(stats.errors.map(\.field) == ["input_output.outputs", "solutions", "input_output"])
        #expect(stats.errors[2].description == "\(path):3: field 'input_output': 1 inputs but 0 outputs")
    }

    @Test("chat JSONL reads dialogues with their metadata")
    func chat() throws {
        let (dialogues, _) = try DatasetReader.loadDialogues(path: fixture("chat-sample.jsonl"))
        #expect(dialogues.count == 2)
        #expect(dialogues[0].messages.map(\.role) == [.system, .user, .assistant, .user, .assistant])
        #expect(dialogues[0].metadata["category"] == "1a")
        #expect(dialogues[1].metadata.isEmpty)
    }

    @Test("a file whose fields match no format says which fields it saw")
    func unknownFormat() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("odd.jsonl", "\n{\"question\": 1, \"answer\": 2}\n")
        let error = expectJSONLError { _ = try DatasetFormat.detect(path: path) }
        #expect(error?.line == 2)
        #expect(error?.description.contains("[answer, question]") == true)
    }

    @Test("the summary counts variants per category, tests and relations")
    func summary() throws {
        let summary = try DatasetSummary.inspect(path: fixture("humanevalcomm-v1-sample.jsonl"))
        #expect(summary.records == 4)
        #expect(summary.variantsPerCategory["1a"] == 4)
        #expect(summary.variantsPerCategory["3acp"] == 1)
        #expect(summary.testRelations == ["==": 8, "expression": 5, "template": 100])
        #expect(summary.testsPerProblem.total == 113)
        #expect(summary.fieldCoverage["entry_point"] == 4)
    }
}
