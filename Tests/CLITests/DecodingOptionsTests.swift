import Backends
import Eval
import ClarifyCore
import LLM
import Pipeline
import Testing

@testable import clarifycoder

/// The decoding settings are one value (``DecodingSettings``) with one set of defaults and one set
/// of rules, whichever door they come in by: `generate`/`chat`/`eval`/`ask` flags, the pipeline's
/// `eval.*` keys, a chat request, the engine.
@Suite("Decoding settings, one value")
struct DecodingOptionsTests {
    @Test("every command's decoding flags default to the library's value, as does the pipeline")
    func sharedDefaults() throws {
        #expect(try GenerateCommand.parse(["--prompt", "x"]).decoding.settings == .defaults)
        #expect(try ChatCommand.parse([]).decoding.settings == .defaults)
        let eval = try EvalCommand.parse(["--benchmark", "humaneval", "--model", "reference", "--out", "r"])
        #expect(eval.posing.decoding.settings == .defaults && eval.posing.options == .defaults)
        let ask = try AskCommand.parse(["--base-url", "http://127.0.0.1:1", "--model", "m", "hi"])
        #expect(ask.decoding.settings == .defaults)
        #expect(PipelineConfig.standard.eval.decoding(seed: 0) == .defaults)
        let pipeline = PipelineConfig.standard.eval.options(seed: 0, concurrency: EvaluationOptions.defaults.concurrency)
        #expect(pipeline.samples == EvaluationOptions.defaults.samples && pipeline.decoding == .defaults)
        #expect(GenerationParameters() == GenerationParameters(.defaults))
        #expect(ChatRequest(messages: []).decoding == .defaults, "an empty request decodes as the defaults")
    }

    @Test("flags become the value, and the value a request and the engine's parameters, losslessly")
    func flagsToEngine() throws {
        let command = try EvalCommand.parse([
            "--benchmark", "humaneval", "--model", "reference", "--out", "r", "--temperature", "0.7", "--top-p", "0.9",
            "--top-k", "40", "--max-tokens", "99", "--seed", "5", "--repetition-penalty", "1.1", "--presence-penalty",
            "-0.5", "--frequency-penalty", "0.25", "--stop", "###", "--stop", "END",
        ])
        let settings = command.posing.decoding.settings
        #expect(
            settings
                == DecodingSettings(
                    maxTokens: 99, temperature: 0.7, topP: 0.9, topK: 40, repetitionPenalty: 1.1, presencePenalty: -0.5,
                    frequencyPenalty: 0.25, seed: 5, stop: ["###", "END"]))
        #expect(ChatRequest(messages: [], decoding: settings).decoding == settings)
        let engine = GenerationParameters(settings)
        #expect(engine.maxTokens == 99 && engine.topK == 40 && engine.topP == 0.9 && engine.seed == 5)
        #expect(engine.repetitionPenalty == 1.1 && engine.presencePenalty == -0.5 && engine.stopStrings == ["###", "END"])
    }

    @Test("one set of rules: a value out of range is refused under each door's own name for it")
    func sharedRules() throws {
        for (flag, value, key) in [
            ("--temperature", "2.5", "temperature"), ("--top-p", "0", "top_p"), ("--top-k", "-1", "top_k"),
            ("--max-tokens", "0", "max_tokens"), ("--presence-penalty", "3", "presence_penalty"),
            ("--repetition-penalty", "0", "repetition_penalty"),
        ] {
            // `--flag=value`: a negative value after a space would be read as an option, not checked by the rule.
            #expect(throws: (any Error).self, "\(flag) \(value)") { try GenerateCommand.parse(["--prompt", "x", "\(flag)=\(value)"]) }
            #expect(throws: (any Error).self, "\(flag) \(value)") {
                try EvalCommand.parse(["--benchmark", "humaneval", "--model", "reference", "--out", "r", "\(flag)=\(value)"])
            }
            #expect(DecodingSettings.defaults.problem == nil)
            if ConfigField.named("eval." + key) != nil {
                let config = try ConfigFile.override(.standard, with: ["eval.\(key)=\(value)"])
                #expect(throws: PipelineError.self, "eval.\(key)") { try config.validate() }
            }
        }
        #expect(throws: (any Error).self) { try LocalChatModel.parameters(ChatRequest(messages: [], temperature: 3)) }
        #expect(DecodingSettings(topK: -1).problem?.key == "top_k" && DecodingSettings(topP: 0).problem?.key == "top_p")
        #expect(DecodingSettings(temperature: 2.5).problem?.key == "temperature" && DecodingSettings(stop: [""]).problem?.key == "stop")
    }

    @Test("ask sends a seed and a length only when given, leaving the endpoint its defaults")
    func askLeavesDefaultsToTheEndpoint() throws {
        let plain = try AskCommand.parse(["--base-url", "http://127.0.0.1:1", "--model", "m", "hi"])
        let request = plain.request(for: "hi")
        #expect(request.seed == nil && request.maxTokens == nil && request.isDeterministic, "greedy by default")
        #expect(try AskCommand.parse(["--base-url", "http://x", "--model", "m", "--temperature", "1", "hi"]).request(for: "hi")
            .isDeterministic == false, "an unseeded sampled request is not cached")
        let given = try AskCommand.parse(["--base-url", "http://127.0.0.1:1", "--model", "m", "--seed", "4", "--max-tokens", "9", "hi"])
        #expect(given.request(for: "hi").seed == 4 && given.request(for: "hi").maxTokens == 9)
    }
}
