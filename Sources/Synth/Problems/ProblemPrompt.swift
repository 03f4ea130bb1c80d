import Backends
import Foundation
import ClarifyCore
import Execution

/// The request that asks a model for one problem inspired by a seed snippet, and the strict reader
/// of its answer.
///
/// After Magicoder's OSS-Instruct (Wei et al., arXiv 2312.02120): the snippet is shown as
/// inspiration only and the problem must stand on its own. Unlike OSS-Instruct's free-form
/// sections, the answer here is two fenced Python blocks — the function (signature, docstring with
/// doctest examples, implementation) and `def check(candidate):` — because ``CodeBlocks`` reads code
/// blocks robustly. The layout is shown as a skeleton with `<placeholders>`, not as a worked
/// example: the first run showed a worked example to the 1.5B, which handed it back verbatim in 5
/// of 18 answers (BENCHMARKS.md, "Generated problems"); a skeleton handed back fails to parse.
public enum ProblemPrompt {
    /// Bumped whenever the request changes, so a resumed run never mixes two prompts in one ledger.
    static let version = 4

    static let system = "You write small, precise, self-contained Python programming exercises with tests."

    static func user(_ snippet: SeedSnippet) -> String {
        """
        Here is a piece of real Python code (from `\(snippet.file)`), for inspiration only:

        ```python
        \(snippet.code)
        ```

        Invent ONE new programming exercise built on a concrete idea in this code (something it \
        computes, parses, checks or transforms). The exercise is a single Python function that needs \
        only the Python standard library. It must not read or write files, use the network, call \
        input(), print, or depend on randomness or the current time. Give the function a new name \
        that says what it does. Someone who never saw the code above must be able to solve it. \
        Prefer results that compare exactly (int, str, bool, list, tuple, dict) over floats.

        Answer with exactly two Python code blocks and nothing else, filling in this skeleton \
        (replace every <...> part):

        \(skeleton)
        """
    }

    /// The layout the prompt asks for, with placeholders a model cannot hand back as a problem.
    static let skeleton = """
        ```python
        <imports the function needs, if any>

        def <function_name>(<parameters with type hints>) -> <return type>:
            \"\"\"<What the function returns, precisely: the inputs, the output, the edge cases.>

            >>> <function_name>(<example arguments>)
            <expected result>
            >>> <function_name>(<other example arguments>)
            <expected result>
            \"\"\"
            <a correct implementation>
        ```

        ```python
        def check(candidate):
            assert candidate(<arguments>) == <expected result>
            <at least 5 such asserts in all: ordinary cases and edge cases>
        ```
        """

    /// The request for one item: sampled (temperature 0.7) with a per-item seed, so reruns and
    /// resumes ask the same question and a backend that honours seeds gives the same answer.
    static func request(_ snippet: SeedSnippet, seed: Int, maxTokens: Int) -> ChatRequest {
        ChatRequest(
            messages: [Message(role: .system, content: system), Message(role: .user, content: user(snippet))],
            temperature: 0.7, topP: 0.95, maxTokens: maxTokens, seed: seed)
    }
}

/// A problem as the model wrote it, split into HumanEval's parts.
public struct DraftProblem: Codable, Sendable, Hashable {
    /// Imports, then the signature and docstring, ending with a newline (HumanEval's `prompt`).
    public var prompt: String
    /// The implementation after the docstring (HumanEval's `canonical_solution`).
    public var solution: String
    /// `def check(candidate): …` (HumanEval's `test`).
    public var test: String
    public var entryPoint: String
    /// The docstring had no examples and they were written from the first tests (the sandbox then
    /// checks them with doctest like any other); nil in ledgers written before this existed.
    public var examplesFromTests: Bool?
    /// The answer ran out of tokens in the tests (the model repeating asserts until the limit);
    /// the tests are the distinct complete asserts written before that. Nil when they were whole.
    public var truncatedTests: Bool?

    enum CodingKeys: String, CodingKey {
        case prompt, solution, test
        case entryPoint = "entry_point"
        case examplesFromTests = "examples_from_tests"
        case truncatedTests = "truncated_tests"
    }
}

/// Why a reply could not be read as a problem; the manifest counts each.
public enum ParseFailure: String, Error, Codable, Sendable, CaseIterable {
    case noCodeBlock = "no_code_block"
    case unclosedCodeBlock = "unclosed_code_block"
    case noFunction = "no_function"
    case noDocstring = "no_docstring"
    case noDocstringExamples = "no_docstring_examples"
    case emptyBody = "empty_body"
    case noTests = "no_tests"
    case tooFewTests = "too_few_tests"
}

/// Reads a reply into a ``DraftProblem``.
public enum ProblemReplyParser {
    /// Fewer asserts than this cannot pin a function down.
    static let minimumAsserts = 3

    public static func parse(_ reply: String) -> Result<DraftProblem, ParseFailure> {
        var blocks = CodeBlocks.blocks(in: reply)
        guard !blocks.isEmpty else { return .failure(.noCodeBlock) }
        var truncatedTests: Bool?
        if let last = blocks.last, last.unterminated, !blocks.dropLast().contains(where: \.unterminated),
            let tests = salvagedTests(last.code)
        {
            blocks[blocks.count - 1].code = tests
            blocks[blocks.count - 1].unterminated = false
            truncatedTests = true
        }
        if blocks.contains(where: \.unterminated) { return .failure(.unclosedCodeBlock) }
        var functionSource: String?
        var testSource: String?
        for block in blocks where ["", "python", "py", "python3"].contains(block.language) {
            if let range = block.code.range(of: "def check(") {
                let before = String(block.code[..<range.lowerBound])
                if functionSource == nil, before.contains("def ") { functionSource = before }
                if testSource == nil {
                    // Imports the tests need (`import math` for `math.isclose`) come before `def check`.
                    let imports = before.contains("def ") ? [] : before.split(separator: "\n").filter {
                        $0.hasPrefix("import ") || $0.hasPrefix("from ")
                    }
                    testSource = imports.map { $0 + "\n" }.joined() + block.code[range.lowerBound...]
                }
            } else if functionSource == nil, block.code.contains("def ") {
                functionSource = block.code
            }
        }
        guard let functionSource else { return .failure(.noFunction) }
        guard let testSource else { return .failure(.noTests) }
        let test = checkFunction(testSource)
        let asserts = test.split(separator: "\n").filter {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("assert ")
        }.count
        var function: (prompt: String, solution: String, name: String)
        var examplesFromTests: Bool?
        switch split(function: functionSource) {
        case .success(let parts): function = parts
        case .failure(.noDocstringExamples):
            // A sound problem whose docstring only lacks examples: write them from its tests.
            guard case .success(let parts) = split(function: functionSource, requireExamples: false),
                let prompt = withExamples(parts.prompt, name: parts.name, from: test)
            else { return .failure(.noDocstringExamples) }
            function = parts
            function.prompt = prompt
            examplesFromTests = true
        case .failure(let failure): return .failure(failure)
        }
        guard asserts >= minimumAsserts else { return .failure(.tooFewTests) }
        return .success(
            DraftProblem(
                prompt: function.prompt, solution: function.solution, test: test, entryPoint: function.name,
                examplesFromTests: examplesFromTests, truncatedTests: truncatedTests))
    }

    /// Most distinct asserts kept from a check block cut off by the token limit.
    static let salvagedAssertLimit = 10

    /// The tests of an unterminated last block that is a check function cut off mid-way — what a
    /// model looping on asserts until the token limit leaves (a fifth of the 1.5B's first 43
    /// answers): its first ``salvagedAssertLimit`` distinct complete one-line asserts, the cut last
    /// line dropped. Nil when the block is not a check function, or anything but one-line asserts,
    /// blank lines and comments follows `def check(`, or fewer than ``minimumAsserts`` remain.
    /// The verifier then judges these tests like any others.
    static func salvagedTests(_ code: String) -> String? {
        var lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("def check(") }) else { return nil }
        lines.removeLast()  // cut off mid-line, or empty when the cut fell on a line break
        var asserts: [String] = []
        var seen = Set<String>()
        for line in lines[(start + 1)...] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard trimmed.hasPrefix("assert "), line.hasPrefix(" ") || line.hasPrefix("\t"),
                balanced(Substring(trimmed))
            else { return nil }
            if asserts.count < salvagedAssertLimit, seen.insert(trimmed).inserted { asserts.append(line) }
        }
        guard asserts.count >= minimumAsserts else { return nil }
        return (lines[...start] + asserts).joined(separator: "\n") + "\n"
    }

    /// Whether every bracket opened outside a string literal in `text` is closed and every string
    /// literal ends (a one-line statement that is whole).
    static func balanced(_ text: Substring) -> Bool {
        let scan = scanBrackets(text) { _, depth, _ in depth >= 0 }
        return !scan.stopped && scan.depth == 0 && !scan.inString
    }

    /// Examples shown in a docstring that has none, taken from the tests.
    static let derivedExampleCount = 2

    /// `prompt` (through its docstring) with doctest examples from the first `assert
    /// candidate(ARGS) == EXPECTED` lines of `test` added before the closing quotes; nil when the
    /// tests hold fewer such lines than ``derivedExampleCount``.
    static func withExamples(_ prompt: String, name: String, from test: String) -> String? {
        let examples = test.split(separator: "\n").compactMap { exampleCall(String($0)) }.prefix(derivedExampleCount)
        guard examples.count == derivedExampleCount else { return nil }
        var lines = prompt.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard var closing = lines.popLast() else { return nil }
        let indent = String(closing.prefix { $0 == " " || $0 == "\t" })
        let trimmed = closing.trimmingCharacters(in: .whitespaces)
        guard let delimiter = ["\"\"\"", "'''"].first(where: { trimmed.hasSuffix($0) }) else { return nil }
        // Text before the closing quotes (a one-line docstring, or a last line ending in them) stays; the
        // quotes move below the examples.
        let text = String(trimmed.dropLast(3))
        if !text.isEmpty { lines.append(indent + text) }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        closing = indent + delimiter
        lines.append("")
        for (call, expected) in examples {
            lines.append(indent + ">>> " + name + call)
            lines.append(indent + expected)
        }
        lines.append(closing)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `("(ARGS)", "EXPECTED")` of a one-line `assert candidate(ARGS) == EXPECTED`, with a plain
    /// double-quoted string result written as Python's repr writes it (single quotes). With
    /// `literalOnly` (docstring examples), EXPECTED must look like a value doctest prints as written:
    /// a number, a string, a list, tuple, dict or set, `True` or `False` — not `None` (doctest
    /// shows nothing for it), not an expression, and without backslashes (the docstring is not raw).
    static func exampleCall(_ line: String, literalOnly: Bool = true) -> (call: String, expected: String)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("assert candidate(") else { return nil }
        let afterName = trimmed.dropFirst("assert candidate".count)
        guard let close = matchingParenthesis(afterName) else { return nil }
        let call = String(afterName[...close])
        let rest = afterName[afterName.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix("== ") else { return nil }
        var expected = rest.dropFirst(3).trimmingCharacters(in: .whitespaces)
        guard !expected.isEmpty, !expected.contains("#"), topLevelComma(Substring(expected)) == nil else { return nil }
        if literalOnly {
            guard let first = expected.first, "0123456789-'\"[({".contains(first) || ["True", "False"].contains(expected),
                !expected.contains("\\"), !expected.contains("candidate"), !expected.contains(" and "),
                !expected.contains(" or "), !expected.contains(" if ")
            else { return nil }
        }
        if expected.count >= 2, expected.hasPrefix("\""), expected.hasSuffix("\""),
            !expected.dropFirst().dropLast().contains(where: { "\"'\\".contains($0) })
        {
            expected = "'" + expected.dropFirst().dropLast() + "'"
        }
        return (call, expected)
    }

    /// The index of the `)` closing the `(` that `text` starts with, skipping brackets and string literals.
    static func matchingParenthesis(_ text: Substring) -> Substring.Index? {
        var match: Substring.Index?
        _ = scanBrackets(text) { index, depth, character in
            guard depth == 0 else { return true }
            match = character == ")" ? index : nil
            return false
        }
        return match
    }

    /// Walks `text` outside string literals (quotes, backslash escapes), calling `afterClosing`
    /// with the index, the depth after it and the bracket at each closing bracket until it returns
    /// false. Returns the final depth, whether a string literal was still open, and whether the
    /// walk was stopped.
    static func scanBrackets(
        _ text: Substring, afterClosing: (Substring.Index, Int, Character) -> Bool
    ) -> (depth: Int, inString: Bool, stopped: Bool) {
        var depth = 0
        var quote: Character?
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "(", "[", "{": depth += 1
            case ")", "]", "}":
                depth -= 1
                if !afterClosing(index, depth, character) { return (depth, false, true) }
            default: break
            }
        }
        return (depth, quote != nil, false)
    }

    /// The first comma outside brackets and strings (an assert's message), if any.
    static func topLevelComma(_ text: Substring) -> Substring.Index? {
        var depth = 0
        var quote: Character?
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            case "," where depth == 0: return index
            default: break
            }
        }
        return nil
    }

    /// Splits the first top-level function into prompt (everything through its docstring) and body.
    static func split(
        function source: String, requireExamples: Bool = true
    ) -> Result<(prompt: String, solution: String, name: String), ParseFailure> {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("def ") }),
            let name = SeedCorpus.definition(Substring(lines[start]))?.name
        else { return .failure(.noFunction) }
        // The signature may span lines: it ends at the first line ending with `:` (comments aside).
        var signatureEnd = start
        while signatureEnd < lines.count, !endsSignature(lines[signatureEnd]) { signatureEnd += 1 }
        guard signatureEnd < lines.count - 1 else { return .failure(.noDocstring) }
        var docStart = signatureEnd + 1
        while docStart < lines.count, lines[docStart].trimmingCharacters(in: .whitespaces).isEmpty { docStart += 1 }
        guard docStart < lines.count else { return .failure(.noDocstring) }
        let opening = lines[docStart].trimmingCharacters(in: .whitespaces)
        let quote = ["\"\"\"", "'''", "r\"\"\"", "r'''"].first { opening.hasPrefix($0) }
        guard let quote else { return .failure(.noDocstring) }
        let delimiter = String(quote.suffix(3))
        var docEnd = docStart
        let rest = opening.dropFirst(quote.count)
        if !rest.contains(delimiter) {
            docEnd += 1
            while docEnd < lines.count, !lines[docEnd].contains(delimiter) { docEnd += 1 }
            guard docEnd < lines.count else { return .failure(.noDocstring) }
        }
        let docstring = lines[docStart...docEnd].joined(separator: "\n")
        guard docstring.contains(">>>") || !requireExamples else { return .failure(.noDocstringExamples) }
        let prompt = lines[..<(docEnd + 1)].joined(separator: "\n") + "\n"
        let body = lines[(docEnd + 1)...].joined(separator: "\n")
        let statements = body.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !statements.isEmpty, statements != ["pass"], statements != ["..."] else { return .failure(.emptyBody) }
        return .success((prompt, trimTrailingBlankLines(body) + "\n", name))
    }

    static func endsSignature(_ line: String) -> Bool {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return code.trimmingCharacters(in: .whitespaces).hasSuffix(":")
    }

    /// `def check(candidate):` and its indented body; a trailing `check(f)` call or main guard the
    /// model added is dropped (the harness calls `check` itself).
    static func checkFunction(_ source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var kept: [String] = []
        var inCheck = false
        for line in lines {
            if !inCheck {
                kept.append(line)
                inCheck = line.hasPrefix("def check(")
                continue
            }
            if !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("\t") { break }
            kept.append(line)
        }
        return trimTrailingBlankLines(kept.joined(separator: "\n")) + "\n"
    }

    static func trimTrailingBlankLines(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
