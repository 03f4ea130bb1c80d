import Foundation
import Testing

@testable import LLM

@Suite("model configs")
struct ModelConfigTests {
    @Test("reads SmolLM2's config.json as a tied, grouped-query llama")
    func smolLM2() throws {
        let config = try ModelRegistry.config(jsonAt: Fixtures.path("Config/smollm2.config.json"))
        #expect(config.architecture == "llama")
        #expect(config.layerCount == 30)
        #expect(config.hiddenSize == 576)
        #expect(config.headCount == 9)
        #expect(config.kvHeadCount == 3)
        #expect(config.headDim == 64)
        #expect(config.ropeTheta == 100_000)
        #expect(config.rmsNormEpsilon == 1e-5)
        #expect(config.tieWordEmbeddings)
        #expect(!config.attentionBias)
        #expect(config.ropeScaling == nil)
        #expect(config.eosTokenIDs == [2])
    }

    @Test("reads Llama 3.1's rope scaling and eos list, in both the transformers 4 and 5 layouts")
    func llama3() throws {
        let current = try ModelRegistry.config(jsonAt: Fixtures.path("Config/llama3.config.json"))
        let legacy = try ModelRegistry.config(jsonAt: Fixtures.path("Config/llama3_legacy.config.json"))
        #expect(current == legacy)
        #expect(current.ropeTheta == 500_000)
        #expect(current.eosTokenIDs == [128001, 128008, 128009])
        #expect(
            current.ropeScaling
                == .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 8192))
    }

    @Test("scales RoPE frequencies as transformers' llama3 rule does")
    func llama3Frequencies() throws {
        let config = try ModelRegistry.config(jsonAt: Fixtures.path("Config/llama3.config.json"))
        let expected = try Fixtures.json([Float].self, "Config/llama3.inv_freq.json")
        let base = (0..<(config.headDim / 2)).map { i in
            1 / pow(config.ropeTheta, Float(2 * i) / Float(config.headDim))
        }
        let scaled = try #require(config.ropeScaling).scaled(base)
        for (a, e) in zip(scaled, expected) { #expect(abs(a - e) <= 1e-6 * max(1, abs(e)) + 1e-9) }
    }

    @Test("reads Llama 3.1's rope scaling from a GGUF rope_freqs tensor, giving transformers' frequencies")
    func llama31GGUF() throws {
        let config = try ModelRegistry.config(gguf: GGUFFile(path: Fixtures.path("Weights/llama31.gguf")))
        let expected = try Fixtures.json([Float].self, "Config/llama3.inv_freq.json")
        #expect(config.headDim == 32 && config.ropeTheta == 500_000)
        guard case .frequencyFactors(let factors) = config.ropeScaling else {
            Issue.record("rope_freqs.weight not read: \(String(describing: config.ropeScaling))")
            return
        }
        #expect(factors.count == 16)
        let base = (0..<16).map { i in 1 / pow(config.ropeTheta, Float(2 * i) / 32) }
        let scaled = try #require(config.ropeScaling).scaled(base)
        #expect(scaled.count == expected.count)
        for (a, e) in zip(scaled, expected) { #expect(abs(a - e) <= 1e-6 * max(1, abs(e)) + 1e-9) }
        // The tensor is config, not a weight: checkpoints leave it out.
        let names = try GGUFCheckpoint(path: Fixtures.path("Weights/llama31.gguf")).tensorNames
        #expect(!names.contains { $0.contains("rope") })

        #expect {
            try ModelRegistry.config(gguf: GGUFFile(path: Fixtures.path("Weights/llama31_bad_rope_freqs.gguf")))
        } throws: { error in
            "\(error)".hasSuffix(
                "llama31_bad_rope_freqs.gguf: tensor rope_freqs.weight: must hold 16 positive frequency factors"
                    + " (head_dim / 2), got 3 values")
        }
    }

    @Test("reads Qwen2's config with q/k/v bias always on")
    func qwen2() throws {
        let config = try ModelRegistry.config(jsonAt: Fixtures.path("Config/qwen2.config.json"))
        #expect(config.architecture == "qwen2")
        #expect(config.attentionBias)
        #expect(config.ropeTheta == 1_000_000)
        #expect(config.kvHeadCount == 2)
        #expect(config.headDim == 16)
        #expect(config.bosTokenID == nil)
    }

    @Test("reads the embedded model's hyper-parameters from its GGUF metadata, matching its config.json")
    func fromGGUF() throws {
        let gguf = try GGUFFile(path: Fixtures.smolLM2Path())
        var config = try ModelRegistry.config(gguf: gguf)
        let json = try ModelRegistry.config(jsonAt: Fixtures.path("Config/smollm2.config.json"))
        #expect(config.maxPositions == 8192)
        config.maxPositions = json.maxPositions
        #expect(config == json)
    }

    @Test("names the field at fault in a bad config")
    func errors() {
        func message(_ json: String) -> String? {
            do {
                _ = try ModelRegistry.config(json: Data(json.utf8), file: "config.json")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(
            message(#"{"model_type":"gpt_neox"}"#)?.hasPrefix("config.json: model_type: gpt_neox is not supported")
                == true)
        #expect(message(#"{"hidden_size":8}"#) == "config.json: model_type: required field is missing")
        #expect(message(#"{"model_type":"llama","hidden_size":"big"}"#)?.hasPrefix("config.json: hidden_size:") == true)
        #expect(
            message(#"{"model_type":"llama","num_attention_heads":8,"num_key_value_heads":3}"#)
                == "config.json: num_key_value_heads: 3 must divide num_attention_heads 8")
        #expect(
            message(#"{"model_type":"llama","rope_scaling":{"rope_type":"yarn","factor":4}}"#)?
                .contains("rope_scaling.rope_type: yarn is not supported") == true)
        #expect(message("{") == "config.json: is not valid JSON")
    }
}
