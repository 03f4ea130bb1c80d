import ClarifyCore
import Foundation
import Testing

@testable import LLM

/// The golden files of `scripts/fixtures/make_qwen_coder_fixtures.py` for Qwen2.5-Coder-0.5B-Instruct
/// (`Fixtures/QwenCoder`), and the cached model they describe.
enum QwenCoder {
    static let assetName = "qwen2.5-coder-0.5b"
    static let fetchCommand = "clarifycoder data fetch --only qwen2.5-coder-0.5b"

    /// The cached GGUF, `$CLARIFYCODER_HOME/assets/qwen2.5-coder-0.5b/*.gguf`. Records an issue naming the
    /// fetch command and throws when absent: these tests fail without the model, never pass silently.
    static func path(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let folder = AssetStore().assetsDirectory + "/" + assetName
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".gguf") }.sorted()
        guard let file = files.first else {
            Issue.record("no GGUF in \(folder): run `\(fetchCommand)` first", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return folder + "/" + file
    }

    /// The model at `precision`, loaded once for all tests (see ``SharedModels``); records the missing-model
    /// issue in every test that asks, not only the first.
    static func model(_ precision: WeightPrecision, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> LanguageModel
    {
        _ = try path(sourceLocation: sourceLocation)
        switch precision {
        case .float32: return try SharedModels.qwenCoderFloat.get()
        case .native: return try SharedModels.qwenCoderNative.get()
        case .nativeExact: return try SharedModels.qwenCoderNativeExact.get()
        }
    }
}

extension SharedModels {
    static let qwenCoderFloat: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: try QwenCoder.path(), precision: .float32)
    }
    static let qwenCoderNative: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: try QwenCoder.path(), precision: .native)
    }
    static let qwenCoderNativeExact: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: try QwenCoder.path(), precision: .nativeExact)
    }
}

/// `tokens.json`: Hugging Face `tokenizers` ids (no special tokens added) for each text.
struct QwenCoderTokensFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
    }
    let reference: String
    let cases: [Case]
}

/// `logits.json`: PyTorch + transformers (the GGUF dequantized to fp32) at a few positions per prompt.
struct QwenCoderLogitsFixture: Decodable {
    struct Position: Decodable {
        let position: Int
        let top_ids: [Int]
        let top_logits: [Float]
        let sample_logits: [Float]

        var slice: LogitSlice { LogitSlice(top_ids: top_ids, top_logits: top_logits, sample_logits: sample_logits) }
    }
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let positions: [Position]
    }
    let reference: String
    let sample_ids: [Int]
    let cases: [Case]
}

/// `greedy_llamacpp.json`: llama.cpp's greedy tokens on chat prompts, with its two best tokens and their logits
/// at every step.
struct QwenCoderGreedyFixture: Decodable {
    struct Run: Decodable {
        let user: String
        let prompt: String
        let ids: [Int]
        let greedy: [Int]
        /// Per step: `[[id, logit], [id, logit]]`.
        let top2: [[[Double]]]
    }
    let reference: String
    let runs: [Run]
}

extension QwenCoderLogitsFixture.Position {
    /// The largest |ours − reference| over the top-10 and sampled logits of this position.
    func worstDifference(_ row: [Float], sampleIDs: [Int]) -> Float {
        let top = zip(top_ids, top_logits).map { abs(row[$0] - $1) }
        let sampled = zip(sampleIDs, sample_logits).map { abs(row[$0] - $1) }
        return (top + sampled).max() ?? 0
    }
}
