import Backends
import ClarifyCore
import Foundation

@testable import Synth

/// A small clear problem and a scripted "LLM" that plays the three synthesis steps on it.
enum LLMScript {
    static let prompt = """
        def add(a: int, b: int) -> int:
            \"\"\"Return the sum of a and b.
            >>> add(2, 3)
            5
            \"\"\"

        """
    static let rewrite = prompt.replacingOccurrences(of: "the sum of", with: "the combination of")

    static let problem = Problem(
        id: "test/add", prompt: prompt, entryPoint: "add", referenceSolution: prompt + "    return a + b\n",
        tests: .asserts(setup: "", asserts: ["assert add(2, 3) == 5", "assert add(0, 0) == 0", "assert add(-1, 4) == 3"],
                        challenge: []),
        source: "test")

    /// Step 1's reply as models write it: a fence with prose around.
    static var rewriteReply: String {
        let object: [String: Any] = [
            "prompt": rewrite,
            "changes": [[
                "kind": "ambiguous", "description": "'sum' made vague as 'combination'.", "original": "the sum of",
                "replacement": "the combination of", "clarification": "Add the two numbers.",
            ]],
        ]
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        return "Sure! Here is the rewrite:\n```json\n\(json)\n```\nLet me know if you need more."
    }

    /// Step 2's reply in Python-literal style.
    static let questionsReply =
        "{'summary': 'How to combine the numbers is unclear.', 'questions': ['Should a and b be added, subtracted or multiplied?',]}"
    static let answersReply = #"{"answers": ["They should be added: return a + b."]}"#

    enum Step { case rewrite, questions, answers, solve, retry }

    static func step(of request: ChatRequest) -> Step {
        let last = request.messages.last?.content ?? ""
        if last.hasPrefix("Your reply could not be read") { return .retry }
        if last.contains("Rewrite the programming problem") { return .rewrite }
        if last.contains("ask the clarifying questions") { return .questions }
        if last.contains("Answer each clarifying question") { return .answers }
        return .solve
    }

    /// Replies that follow the format at every step.
    static func wellBehaved(_ request: ChatRequest) -> String {
        switch step(of: request) {
        case .rewrite: return rewriteReply
        case .questions: return questionsReply
        case .answers: return answersReply
        case .solve, .retry: return "I cannot help with that."
        }
    }

    static func solution(_ expression: String) -> String {
        "Here you go:\n```python\ndef add(a, b):\n    return \(expression)\n```"
    }
}
