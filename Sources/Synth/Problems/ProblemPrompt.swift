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
/// doctest examples, implementation) and `def check(candidate):` — because a 1.5B model keeps a
/// layout it is shown far more reliably than one it is told about, and code blocks are what
/// ``CodeBlocks`` already reads robustly.
public enum ProblemPrompt {
    static let system = "You write small, precise, self-contained Python programming exercises with tests."

    static func user(_ snippet: SeedSnippet) -> String {
        """
        Here is a piece of real Python code (from `\(snippet.file)`), for inspiration only:

        ```python
        \(snippet.code)
        ```

        Invent ONE new programming exercise inspired by an idea in it: a single function that needs \
        only the Python standard library. It must not read or write files, use the network, call \
        input(), print, or depend on randomness or the current time. Do not copy the code above; the \
        exercise must make sense to someone who never saw it.

        Answer with exactly two Python code blocks and nothing else.

        Block 1: any imports the function needs, then the function with type hints, a docstring that \
        states the task precisely (inputs, output, edge cases) and shows 2 or 3 examples in doctest \
        form, then a correct implementation.

        Block 2: `def check(candidate):` with at least 5 `assert candidate(...) == ...` lines covering \
        ordinary and edge cases.

        The layout, for a different exercise:

        ```python
        \(layoutExample)
        ```

        ```python
        def check(candidate):
            assert candidate([1, 1, 2, 2, 2, 3]) == 3
            assert candidate([]) == 0
            assert candidate([5]) == 1
            assert candidate([4, 4, 4, 4]) == 4
            assert candidate([1, 2, 1, 2]) == 1
        ```
        """
    }

    /// The worked layout the prompt shows. A small model sometimes hands it back as its own
    /// problem, so the set's near-duplicate filter starts with it (``ProblemSetAssembler``).
    static let layoutExample = """
        def longest_run(values: list[int]) -> int:
            \"\"\"Return the length of the longest run of equal adjacent values (0 for an empty list).

            >>> longest_run([1, 1, 2, 2, 2, 3])
            3
            >>> longest_run([])
            0
            \"\"\"
            best = run = 0
            for i, value in enumerate(values):
                run = run + 1 if i > 0 and values[i - 1] == value else 1
                best = max(best, run)
            return best
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

    enum CodingKeys: String, CodingKey {
        case prompt, solution, test
        case entryPoint = "entry_point"
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
        let blocks = CodeBlocks.blocks(in: reply)
        guard !blocks.isEmpty else { return .failure(.noCodeBlock) }
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
        let function: (prompt: String, solution: String, name: String)
        switch split(function: functionSource) {
        case .success(let parts): function = parts
        case .failure(let failure): return .failure(failure)
        }
        let test = checkFunction(testSource)
        let asserts = test.split(separator: "\n").filter {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("assert ")
        }.count
        guard asserts >= minimumAsserts else { return .failure(.tooFewTests) }
        return .success(DraftProblem(prompt: function.prompt, solution: function.solution, test: test, entryPoint: function.name))
    }

    /// Splits the first top-level function into prompt (everything through its docstring) and body.
    static func split(function source: String) -> Result<(prompt: String, solution: String, name: String), ParseFailure> {
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
        guard docstring.contains(">>>") else { return .failure(.noDocstringExamples) }
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
