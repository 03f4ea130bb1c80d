import ArgumentParser
import Foundation
import LLM
import Tensor

/// Driver for bench/decode.sh: greedy decoding of a fixed prompt with the KV cache, timed as
/// prefill and decode separately, at batch 1 and batched. Prints one JSON line.
@main
struct DecodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode-bench",
        abstract: "Greedy decoding timed as prefill and decode, at batch 1 and batched; one JSON line.")

    @Argument(help: ArgumentHelp("The model: a GGUF file or a safetensors folder.", valueName: "model"))
    var model: String
    @Option(help: "Worker threads.") var threads = 1
    @Option(name: .customLong("prompt-tokens"), help: "Prompt length in tokens.") var promptTokens = 128
    @Option(name: .customLong("new-tokens"), help: "Tokens generated per sequence.") var newTokens = 128
    @Option(help: "Sequences of the batched run.") var batch = 8
    @Option(help: ArgumentHelp("Weight precision: native or float32.", valueName: "precision"))
    var precision = WeightPrecision.native.rawValue
    @Option(help: ArgumentHelp("A PEFT LoRA adapter folder to apply.", valueName: "dir")) var adapter: String?
    @Option(
        name: .customLong("logits-for"),
        help: ArgumentHelp(
            "Instead of timing: a JSON file holding prompts as arrays of token ids; prints {\"logits\": [[…], …]}, "
                + "the next-token logits after each prompt (bench/trl-handoff.sh).", valueName: "file"))
    var logitsFor: String?

    func validate() throws {
        for (name, value) in [
            ("--threads", threads), ("--prompt-tokens", promptTokens), ("--new-tokens", newTokens), ("--batch", batch),
        ] where value <= 0 {
            throw ValidationError("\(name) must be a positive whole number, not \(value)")
        }
        guard WeightPrecision(rawValue: precision) != nil else {
            let known = WeightPrecision.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--precision must be one of \(known), not '\(precision)'")
        }
    }

    func run() throws { try ThreadBudget(threads: threads).run(measure) }

    private func measure() throws {
        let lora = try adapter.map { try LoRAAdapter(folder: $0) }
        let weights = WeightPrecision(rawValue: precision)!
        let loaded = try LanguageModel(path: model, precision: weights, adapter: lora).model
        if let logitsFor { return try printLogits(loaded, promptsFile: logitsFor) }
        let run = DecodeRun(model: loaded, promptTokens: promptTokens, newTokens: newTokens)
        let single = run.greedy(batch: 1)
        let batched = run.greedy(batch: batch)
        let result: [String: Any] = [
            "prefill_tokens_per_s": Double(promptTokens) / single.prefill,
            "decode_tokens_per_s": Double(newTokens - 1) / single.decode,
            "batched_decode_tokens_per_s": Double(batch * (newTokens - 1)) / batched.decode,
            "batch": batch,
            "peak_rss_mb": peakRSSMegabytes(),
            "tokens": single.tokens,
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}

/// The next-token logits after each prompt of `promptsFile` (a JSON array of id arrays), as one JSON line.
func printLogits(_ model: LlamaModel, promptsFile: String) throws {
    guard let data = FileManager.default.contents(atPath: promptsFile),
        let prompts = try JSONSerialization.jsonObject(with: data) as? [[Int]], !prompts.contains(where: \.isEmpty)
    else { throw ValidationError("\(promptsFile): expected a JSON array of non-empty arrays of token ids") }
    var rows: [[Float]] = []
    for prompt in prompts {
        let cache = model.makeCache(sequences: 1, capacity: prompt.count + 1)
        rows += model.forward([.init(slot: 0, tokens: prompt)], cache: cache)
    }
    let json = try JSONSerialization.data(withJSONObject: ["logits": rows.map { $0.map(Double.init) }])
    print(String(decoding: json, as: UTF8.self))
}

/// One model, one prompt length and one number of new tokens.
struct DecodeRun {
    let model: LlamaModel
    let promptTokens: Int
    let newTokens: Int

    /// The same arithmetic prompt as bench/decode_baseline.py, so both decode the same tokens.
    var prompt: [Int] { (0..<promptTokens).map { ($0 * 7919) % 40000 + 100 } }

    func greedy(batch: Int) -> (prefill: Double, decode: Double, tokens: [Int]) {
        let prompt = prompt
        let cache = model.makeCache(sequences: batch, capacity: promptTokens + newTokens + 1)
        var start = Date()
        var logits: [[Float]] = []
        for slot in 0..<batch { logits += model.forward([.init(slot: slot, tokens: prompt)], cache: cache) }
        let prefill = Date().timeIntervalSince(start)
        var tokens: [Int] = []
        start = Date()
        for step in 0..<newTokens {
            let next = logits.map { Sampler.argmax($0) }
            tokens.append(next[0])
            if step == newTokens - 1 { break }
            logits = model.forward((0..<batch).map { .init(slot: $0, tokens: [next[$0]]) }, cache: cache)
        }
        return (prefill, Date().timeIntervalSince(start), tokens)
    }
}

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}
