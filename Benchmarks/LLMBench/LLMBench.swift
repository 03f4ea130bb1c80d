import ArgumentParser
import Foundation
import LLM

/// Benchmark driver for the LLM target, run by `bench/*.sh` (release build).
///
///     llm-bench tokenizer --gguf MODEL.gguf --text DOCUMENTS.json [--repeat N] [--ids-out FILE]
///     llm-bench logits --model MODEL [--adapter DIR] --ids IDS.json --sample-ids IDS.json
@main
struct LLMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm-bench",
        abstract: "LLM-target timings behind bench/tokenizer.sh; each prints one JSON line.",
        subcommands: [TokenizerBench.self, LogitsDump.self])
}

struct TokenizerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Encode each document of a JSON array of strings on one thread.",
        discussion: """
            Prints one JSON line: the median time over --repeat runs, bytes, tokens and MB/s. \
            --ids-out writes the ids (one per line) so the script can check them against the baseline.
            """)

    @Option(help: ArgumentHelp("The GGUF file whose tokenizer is timed.", valueName: "file"))
    var gguf: String
    @Option(help: ArgumentHelp("A JSON array of strings.", valueName: "file"))
    var text: String
    @Option(help: "Timed runs; the median is reported.")
    var `repeat` = 5
    @Option(name: .customLong("ids-out"), help: ArgumentHelp("Write the ids here, one per line.", valueName: "file"))
    var idsOut: String?

    func validate() throws {
        guard `repeat` > 0 else { throw ValidationError("--repeat must be a positive whole number, not \(`repeat`)") }
    }

    func run() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: gguf))
        let documents = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: text)))
        let bytes = documents.reduce(0) { $0 + $1.utf8.count }
        var times: [Double] = []
        var ids: [Int] = []
        for _ in 0..<`repeat` {
            let start = DispatchTime.now().uptimeNanoseconds
            ids = []
            for document in documents { ids += tokenizer.encode(document) }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let median = times[times.count / 2]
        if let idsOut {
            try ids.map(String.init).joined(separator: "\n").write(toFile: idsOut, atomically: true, encoding: .utf8)
        }
        let rate = Double(bytes) / median / 1e6
        print(#"{"seconds":\#(median),"bytes":\#(bytes),"tokens":\#(ids.count),"mb_per_s":\#(rate)}"#)
    }
}

/// Logits of a token sequence, for checks against another engine (scripts/check-peft-export.sh):
/// per position the logits of the given sample ids and the ten largest.
struct LogitsDump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Print the logits of a token sequence at every position (sample ids and the top 10) as JSON.")

    @Option(help: "A .gguf file or a Hugging Face folder.")
    var model: String
    @Option(help: "A PEFT adapter folder run on top, unmerged.")
    var adapter: String?
    @Option(help: "Weights in memory: native, nativeExact or float32.")
    var precision: String = "nativeExact"
    @Option(help: ArgumentHelp("A JSON array of token ids.", valueName: "file"))
    var ids: String
    @Option(name: .customLong("sample-ids"), help: ArgumentHelp("A JSON array of vocabulary ids to report.", valueName: "file"))
    var sampleIDs: String?
    @Option(help: "Instead of logits, print this many greedy (argmax) tokens after the sequence as a JSON array.")
    var greedy: Int?

    func run() throws {
        guard let precision = WeightPrecision(rawValue: precision) else {
            throw ValidationError("--precision must be native, nativeExact or float32")
        }
        let read = { (path: String) in try JSONDecoder().decode([Int].self, from: Data(contentsOf: URL(fileURLWithPath: path))) }
        let tokens = try read(ids)
        let loaded = try LanguageModel(
            path: model, precision: precision, adapter: try adapter.map { try LoRAAdapter(folder: $0) })
        if let greedy {
            let cache = loaded.model.makeCache(capacity: tokens.count + greedy)
            var next = tokens, out: [Int] = []
            for _ in 0..<greedy {
                let row = loaded.model.forward([.init(slot: 0, tokens: next)], cache: cache)[0]
                let best = row.indices.max { row[$0] < row[$1] }!
                out.append(best)
                next = [best]
            }
            print(String(decoding: try JSONEncoder().encode(out), as: UTF8.self))
            return
        }
        guard let sampleIDs else { throw ValidationError("--sample-ids is needed without --greedy") }
        let samples = try read(sampleIDs)
        let rows = loaded.model.forward(
            [.init(slot: 0, tokens: tokens)], cache: loaded.model.makeCache(capacity: tokens.count), allPositions: true)
        struct Position: Encodable {
            var sample: [Float]
            var top_ids: [Int]
            var top_logits: [Float]
        }
        let positions = rows.map { row in
            let top = row.indices.sorted { row[$0] > row[$1] }.prefix(10)
            return Position(sample: samples.map { row[$0] }, top_ids: Array(top), top_logits: top.map { row[$0] })
        }
        print(String(decoding: try JSONEncoder().encode(positions), as: UTF8.self))
    }
}
