import ClarifyCore
import Testing

@testable import Eval

@Suite("--evaluator forms")
struct EvaluatorSpecTests {
    @Test("local: takes a model and a variant, each optional, defaulting to the 1.5B and probs")
    func localForms() throws {
        #expect(try EvaluatorSpec(parsing: "local:") == .localJudge(.known(.qwen25Coder15B), .probs))
        #expect(try EvaluatorSpec(parsing: "local:probs") == .localJudge(.known(.qwen25Coder15B), .probs))
        #expect(
            try EvaluatorSpec(parsing: "local:qwen2.5-coder-0.5b:prompt") == .localJudge(.known(.qwen25Coder05B), .prompt))
        #expect(try EvaluatorSpec(parsing: "local:qwen2.5-coder-0.5b") == .localJudge(.known(.qwen25Coder05B), .probs))
        #expect(try EvaluatorSpec(parsing: "local:qwen2.5-coder-0.5b:steps").description == "local:qwen2.5-coder-0.5b:steps")
    }

    @Test("the other forms keep their meaning")
    func otherForms() throws {
        #expect(try EvaluatorSpec(parsing: "heuristic") == .heuristic)
        #expect(try EvaluatorSpec(parsing: "openai:gpt-4o-mini") == .model(.openAI(name: "gpt-4o-mini")))
        #expect(try EvaluatorSpec(parsing: "qwen2.5-coder-1.5b") == .model(.known(.qwen25Coder15B)))
    }

    @Test("an unknown variant, an endpoint after local: and reference are errors that say what is accepted")
    func errors() {
        #expect { try EvaluatorSpec(parsing: "local:qwen2.5-coder-0.5b:vote") } throws: {
            "\($0)".contains("unknown judge variant 'vote'") && "\($0)".contains("prompt, steps, probs")
        }
        #expect { try EvaluatorSpec(parsing: "local:openai:gpt-4o") } throws: { "\($0)".contains("needs a local model") }
        #expect { try EvaluatorSpec(parsing: "reference") } throws: { "\($0)".contains("not reference") }
    }
}
