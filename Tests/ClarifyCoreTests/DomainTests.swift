import Foundation
import Testing

@testable import ClarifyCore

@Suite("Domain model")
struct DomainTests {
    @Test("every HumanEvalComm category maps to its kinds and back")
    func categoriesRoundTrip() {
        for category in ClarificationCategory.allCases where category != .original {
            #expect(ClarificationCategory(kinds: Set(category.kinds)) == category)
        }
        #expect(ClarificationCategory(kinds: []) == nil)
        #expect(ClarificationCategory.ambiguousIncomplete.humanEvalCommField == "prompt2ap")
        #expect(ClarificationCategory.original.humanEvalCommField == "prompt")
    }

    @Test("a problem with variants survives a JSON round trip")
    func problemCodable() throws {
        let problem = Problem(
            id: "HumanEval/0",
            prompt: "def f(x):\n    \"\"\"Return x sorted ascending.\"\"\"\n",
            entryPoint: "f",
            tests: .cases([TestCase(input: "[2, 1]", output: "[1, 2]", relation: "==")]),
            source: "humanevalcomm",
            variants: [
                Variant(
                    category: .ambiguous1,
                    prompt: "def f(x):\n    \"\"\"Return x sorted.\"\"\"\n",
                    changes: [Change(kind: .ambiguous, description: "ascending made vague",
                                     original: "sorted ascending", replacement: "sorted")]
                )
            ]
        )
        let data = try JSONEncoder().encode(problem)
        let decoded = try JSONDecoder().decode(Problem.self, from: data)
        #expect(decoded == problem)
        #expect(decoded.variant(.ambiguous1)?.changes.first?.kind == .ambiguous)
        #expect(decoded.tests.count == 1)
    }

    @Test("a dialogue encodes as chat JSONL with roles by name")
    func dialogueEncoding() throws {
        let dialogue = Dialogue(messages: [.user("Sort it."), .assistant("Ascending or descending?")])
        let json = String(decoding: try JSONEncoder().encode(dialogue), as: UTF8.self)
        #expect(json.contains("\"role\":\"user\""))
        #expect(!json.contains("metadata"))
        let back = try JSONDecoder().decode(Dialogue.self, from: Data(json.utf8))
        #expect(back == dialogue)
    }
}
