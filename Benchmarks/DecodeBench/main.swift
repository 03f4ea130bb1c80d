// Driver for bench/decode.sh: greedy decoding of a fixed prompt with the KV cache, timed as
// prefill and decode separately, at batch 1 and batched. Prints one JSON line.
//
//   decode-bench MODEL [--threads N] [--prompt-tokens 128] [--new-tokens 128] [--batch 8]
//                      [--precision native|float32] [--adapter PEFT_DIR]
import Foundation
import LLM
import Tensor

let arguments = Array(CommandLine.arguments.dropFirst())
guard let path = arguments.first else {
    FileHandle.standardError.write(Data("usage: decode-bench MODEL [--threads N] …\n".utf8))
    exit(2)
}
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else {
        return fallback
    }
    return v
}
let threads = option("--threads", 1)
let promptTokens = option("--prompt-tokens", 128)
let newTokens = option("--new-tokens", 128)
let batch = option("--batch", 8)
let precision = arguments.firstIndex(of: "--precision").map { WeightPrecision(rawValue: arguments[$0 + 1])! }
    ?? .native
Parallel.threadCount = threads

let adapter = try arguments.firstIndex(of: "--adapter").map { try LoRAAdapter(folder: arguments[$0 + 1]) }
let model = try LanguageModel(path: path, precision: precision, adapter: adapter).model
/// The same arithmetic prompt as bench/decode_baseline.py, so both decode the same tokens.
let prompt = (0..<promptTokens).map { ($0 * 7919) % 40000 + 100 }

func greedy(batch: Int) -> (prefill: Double, decode: Double, tokens: [Int]) {
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

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

let single = greedy(batch: 1)
let batched = greedy(batch: batch)
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
