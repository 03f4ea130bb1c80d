import Backends
import ClarifyCore
import Testing

@Suite("Reference model")
struct ReferenceChatModelTests {
    let problems = [
        Problem(
            id: "HumanEval/0", prompt: "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n", entryPoint: "add",
            referenceSolution: "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n    return a + b\n",
            tests: .checkProgram("def check(candidate):\n    assert candidate(1, 2) == 3\n"), source: "humaneval",
            variants: [
                Variant(category: .ambiguous1, prompt: "def add(a, b):\n    \"\"\"Combine two numbers.\"\"\"\n")
            ]),
        Problem(
            id: "HumanEval/1", prompt: "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n    # and also\n",
            entryPoint: "add", referenceSolution: "def add(a, b):\n    return b + a\n",
            tests: .checkProgram(""), source: "humaneval"),
        Problem(id: "X/2", prompt: "no solution here", tests: .cases([]), source: "x"),
    ]

    @Test("a prompt wrapped in the harness's instructions is answered with its solution in one fenced block")
    func answersWrappedPrompt() async throws {
        let model = ReferenceChatModel(problems: problems)
        let message = "You are given a problem. Either write code or ask.\n\n\(problems[0].prompt)\nAnswer now."
        let response = try await model.complete(ChatRequest(messages: [.system("sys"), .user(message)], n: 2))
        let fenced = "```python\ndef add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n    return a + b\n```"
        #expect(response.choices.map(\.content) == [fenced, fenced])
        #expect(response.choices.map(\.finishReason) == [.stop, .stop])
    }

    @Test("a variant's prompt is answered with its problem's solution")
    func answersVariant() async throws {
        let model = ReferenceChatModel(problems: problems)
        let text = try await model.complete(ChatRequest(messages: [.user("Q: " + problems[0].variants[0].prompt)])).text
        #expect(text.contains("return a + b"))
    }

    @Test("when one prompt contains another, the longer, more specific one wins")
    func longestMatch() async throws {
        let model = ReferenceChatModel(problems: problems)
        let text = try await model.complete(ChatRequest(messages: [.user(problems[1].prompt)])).text
        #expect(text.contains("return b + a"))
    }

    @Test("an unknown prompt fails with a clear error instead of a guess")
    func unknownPrompt() async throws {
        let model = ReferenceChatModel(problems: problems)
        await #expect(throws: BackendError.self) {
            try await model.complete(ChatRequest(messages: [.user("def mul(a, b): ...")]))
        }
        do {
            _ = try await model.complete(ChatRequest(messages: [.user("no solution here")]))
        } catch let error as BackendError {
            #expect(error.kind == .noReference)
            #expect(error.message.contains("no solution here"))
            #expect(!error.isRetryable)
        }
    }
}

@Suite("Scripted model")
struct ScriptedChatModelTests {
    @Test("canned replies are given in order and running out is a clear failure")
    func queue() async throws {
        let model = ScriptedChatModel(replies: [
            .text("one"), .failure(BackendError(.rateLimited, "slow down")), .text("three"),
        ])
        let request = ChatRequest(messages: [.user("q")])
        let answer1 = try await model.complete(request).text
        #expect(answer1 == "one")
        await #expect(throws: BackendError.self) { try await model.complete(request) }
        let answer2 = try await model.complete(request).text
        #expect(answer2 == "three")
        do {
            _ = try await model.complete(request)
            Issue.record("a fourth call should fail")
        } catch let error as BackendError {
            #expect(error.message.contains("no reply for call 4 (3 scripted)"))
        }
        #expect(model.requests.count == 4)
    }

    @Test("a delayed reply takes at least its delay")
    func latency() async throws {
        let model = ScriptedChatModel(replies: [.delayed(.milliseconds(150), .text("late"))])
        let clock = ContinuousClock()
        let start = clock.now
        let answer3 = try await model.complete(ChatRequest(messages: [.user("q")])).text
        #expect(answer3 == "late")
        #expect(clock.now - start >= .milliseconds(150))
    }
}
