import Foundation
import Sandbox

/// Whether a response is code, a clarifying question, or neither.
public enum ResponseKind: String, Sendable, Hashable, Codable {
    case code, question, neither
}

/// What a model response holds, judged two ways.
///
/// - `paperKind` is HumanEvalComm's rule: a response without a fenced code block (as its
///   `response_2_code` finds one) is a question. Comparable with the paper, but it counts unfenced
///   code — common from small models — as a question: for the base SmolLM2-135M that rule reports
///   ~7% communication where real questions are ~1%.
/// - `kind` is the stricter default: code when the response holds parseable Python (a function or
///   a statement block, fenced or not, found by ``PythonCodeFinder``); a question when it holds
///   no code and asks something; neither otherwise (a refusal, an explanation, chatter).
public struct ResponseAnalysis: Sendable, Hashable, Codable {
    public var paperKind: ResponseKind
    /// What HumanEvalComm's `response_2_code` extracts (`nil` where it finds nothing).
    public var paperCode: String?
    public var kind: ResponseKind
    /// The extracted code: the first Python-tagged (or untagged) fenced block that holds real code,
    /// else the parseable regions of the unfenced text, joined.
    public var code: String?
    public var codeWasFenced: Bool
    /// Names of the top-level functions the extracted code defines.
    public var functions: [String]
    /// The prose outside code asks something (a question mark or a request for clarification).
    public var asks: Bool
}

/// Analyses responses in batches: one sandboxed parser run per batch.
public struct ResponseAnalyzer: Sendable {
    let finder: PythonCodeFinder

    public init(pool: SandboxPool) {
        finder = PythonCodeFinder(pool: pool)
    }

    public func analyze(_ response: String) async throws -> ResponseAnalysis {
        try await analyze([response])[0]
    }

    public func analyze(_ responses: [String]) async throws -> [ResponseAnalysis] {
        let splits = responses.map { CodeBlocks.split($0) }
        // Texts for the parser: every non-foreign block, then the prose, per response.
        var texts: [String] = []
        var layout: [(blocks: Range<Int>, prose: Int)] = []
        for split in splits {
            let first = texts.count
            texts += split.blocks.filter { !CodeBlocks.foreignLanguages.contains($0.language) }.map(\.code)
            layout.append((first..<texts.count, texts.count))
            texts.append(split.prose)
        }
        // A fenced block is taken whole once it holds any real code: the model meant all of it as
        // the answer, so a syntax error in it must fail, not be trimmed away.
        let regions = try await finder.regions(in: texts)
        return responses.indices.map { index in
            let (blockRange, proseIndex) = layout[index]
            let prose = splits[index].prose
            var code: String?
            var functions: [String] = []
            var fenced = false
            if let block = blockRange.first(where: { !regions[$0].isEmpty }) {
                code = texts[block]
                functions = regions[block].flatMap(\.functions)
                fenced = true
            } else if !regions[proseIndex].isEmpty {
                code = regions[proseIndex].map(\.code).joined(separator: "\n\n")
                functions = regions[proseIndex].flatMap(\.functions)
            }
            // Asking is judged on the prose outside code, and on fenced blocks without code (a
            // question put in a fence is still a question).
            let codelessBlocks = blockRange.filter { regions[$0].isEmpty }.map { texts[$0] }
            let asks = Self.asks(
                ([Self.removing(regions[proseIndex], from: prose)] + codelessBlocks).joined(separator: "\n"))
            let kind: ResponseKind = code != nil ? .code : (asks ? .question : .neither)
            let paperCode = CodeBlocks.paperFirstBlock(in: responses[index])
            return ResponseAnalysis(
                paperKind: paperCode == nil ? .question : .code, paperCode: paperCode, kind: kind, code: code,
                codeWasFenced: fenced, functions: functions, asks: asks)
        }
    }

    /// The prose with the lines of its code regions taken out.
    static func removing(_ regions: [PythonCodeFinder.Region], from prose: String) -> String {
        var lines = prose.split(separator: "\n", omittingEmptySubsequences: false)
        for region in regions.reversed() where region.firstLine + region.lineCount <= lines.count {
            lines.removeSubrange(region.firstLine..<region.firstLine + region.lineCount)
        }
        return lines.joined(separator: "\n")
    }

    /// Phrases that ask for clarification without a question mark ("Please specify the format.").
    /// Statements that something is unclear ("The requirements are unclear.", "The first part is
    /// unclear.") are not requests: a tuned model's decision sentence, or a degenerate loop of them,
    /// asks nothing, so "unclear", "not clear" and "ambiguous" alone do not make a question.
    static let requestPhrases = [
        "please clarify", "please specify", "please provide", "please confirm", "please let me know",
        "could you", "can you", "would you", "i need to know", "i need more information", "need clarification",
    ]

    /// Whether prose asks something: a question mark or one of ``requestPhrases`` (the strict
    /// detector's test, also the heuristic evaluator's "no questions" grade).
    public static func asks(_ prose: String) -> Bool {
        let lowered = prose.lowercased()
        return lowered.contains("?") || requestPhrases.contains { lowered.contains($0) }
    }
}
