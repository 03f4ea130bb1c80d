import Foundation
import Testing

@testable import LLM

/// The golden files of `Fixtures/Model/make_fixtures.py` (PyTorch + transformers, fp32).
struct LogitSlice: Decodable {
    let top_ids: [Int]
    let top_logits: [Float]
    let sample_logits: [Float]
}

struct SmolLM2LogitsFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let positions: [LogitSlice]
    }
    let sample_ids: [Int]
    let cases: [Case]
}

struct SmolLM2GreedyFixture: Decodable {
    struct Run: Decodable {
        let user: String
        let prompt: String
        let ids: [Int]
        let greedy: [Int]
    }
    let runs: [Run]
}

struct TinyModelFixture: Decodable {
    let text: String
    let ids: [Int]
    let sample_ids: [Int]
    let positions: [LogitSlice]
    let greedy: [Int]
}

/// Models loaded once for all tests (loading SmolLM2 in fp32 takes seconds in a debug build).
enum SharedModels {
    static let smolLM2Float: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: try Fixtures.smolLM2Path(), precision: .float32)
    }
    static let smolLM2Native: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: try Fixtures.smolLM2Path(), precision: .native)
    }
    static let smolLM2NativeExact: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: try Fixtures.smolLM2Path(), precision: .nativeExact)
    }
    static let qwen2Tiny: Result<LanguageModel, any Error> = Result {
        try LanguageModel(path: Fixtures.path("Model/qwen2-tiny"))
    }
}

/// Compares one row of our logits with a PyTorch slice: the same argmax, and the top-10 and
/// sampled logits within `tolerance`.
func expectMatches(
    _ row: [Float], _ slice: LogitSlice, sampleIDs: [Int], tolerance: Float, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(Sampler.argmax(row) == slice.top_ids[0], "\(what): argmax", sourceLocation: sourceLocation)
    expectClose(slice.top_ids.map { row[$0] }, slice.top_logits, tolerance: tolerance, "\(what) top-10",
        sourceLocation: sourceLocation)
    expectClose(sampleIDs.map { row[$0] }, slice.sample_logits, tolerance: tolerance, "\(what) sampled",
        sourceLocation: sourceLocation)
}

/// Greedy continuation by argmax at every step, ignoring end-of-turn (as the fixture script does).
func rawGreedy(_ model: LlamaModel, prompt: [Int], steps: Int) -> [Int] {
    let cache = model.makeCache(capacity: prompt.count + steps + 1)
    var logits = model.forward([.init(slot: 0, tokens: prompt)], cache: cache)[0]
    var out: [Int] = []
    for _ in 0..<steps {
        let token = Sampler.argmax(logits)
        out.append(token)
        logits = model.forward([.init(slot: 0, tokens: [token])], cache: cache)[0]
    }
    return out
}
