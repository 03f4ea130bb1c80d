import Backends
import ClarifyCore

/// Which evaluator a command or config names — `--evaluator` and `eval.evaluator` — parsed in one place.
///
/// | text | evaluator |
/// |---|---|
/// | `heuristic` | ``HeuristicEvaluator`` (offline, approximate) |
/// | `local:` , `local:NAME\|PATH`, `local:NAME\|PATH:VARIANT`, `local:VARIANT` | ``LocalJudge`` on a local model (default ``defaultJudgeModel``, variant ``LocalJudge/Variant/probs``: the best measured, BENCHMARKS.md) |
/// | any other model (`openai:NAME`, a known name, a path) | ``LLMEvaluator``: the benchmark's prompt, free text |
public enum EvaluatorSpec: Sendable, Hashable, CustomStringConvertible {
    case heuristic
    case model(ModelSpec)
    case localJudge(ModelSpec, LocalJudge.Variant)

    /// The local judge's model when `local:` names none.
    public static let defaultJudgeModel = ModelSpec.known(.qwen25Coder15B)
    public static let defaultVariant = LocalJudge.Variant.probs

    public init(parsing text: String) throws(ModelSpecError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "heuristic" {
            self = .heuristic
        } else if trimmed.hasPrefix("local:") {
            var rest = String(trimmed.dropFirst("local:".count))
            var variant = Self.defaultVariant
            if rest.hasPrefix("openai:") || rest == "reference" {
                throw ModelSpecError("'\(text)': local: needs a local model (a known name, a .gguf file or a folder)")
            }
            if let named = LocalJudge.Variant(rawValue: rest) {
                variant = named
                rest = ""
            } else if let colon = rest.lastIndex(of: ":"), let named = LocalJudge.Variant(rawValue: String(rest[rest.index(after: colon)...])) {
                variant = named
                rest = String(rest[..<colon])
            } else if let colon = rest.lastIndex(of: ":"), !rest[rest.index(after: colon)...].contains("/") {
                throw ModelSpecError(
                    "'\(text)': unknown judge variant '\(rest[rest.index(after: colon)...])'; the variants are "
                        + LocalJudge.Variant.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let model = rest.isEmpty ? Self.defaultJudgeModel : try ModelSpec(parsing: rest)
            guard model.isLocal else {
                throw ModelSpecError("'\(text)': local: needs a local model (a known name, a .gguf file or a folder)")
            }
            self = .localJudge(model, variant)
        } else {
            let model = try ModelSpec(parsing: trimmed)
            guard model != .reference else {
                throw ModelSpecError("'\(text)': the evaluator must be heuristic, local:NAME, openai:NAME or a model, not reference")
            }
            self = .model(model)
        }
    }

    /// The accepted forms, for help texts and errors.
    public static let forms = "heuristic, local:[NAME|PATH][:prompt|steps|probs], openai:NAME or a local model"

    public var description: String {
        switch self {
        case .heuristic: "heuristic"
        case .model(let model): model.description
        case .localJudge(let model, let variant): "local:\(model.description):\(variant.rawValue)"
        }
    }

    /// The model the evaluator runs on, if any.
    public var model: ModelSpec? {
        switch self {
        case .heuristic: nil
        case .model(let model), .localJudge(let model, _): model
        }
    }
}
