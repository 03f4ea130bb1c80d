import ArgumentParser
import Foundation
import LLM

/// Benchmark driver for the LLM target, run by `bench/*.sh` (release build).
///
///     llm-bench tokenizer --gguf MODEL.gguf --text DOCUMENTS.json [--repeat N] [--ids-out FILE]
@main
struct LLMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm-bench",
        abstract: "LLM-target timings behind bench/tokenizer.sh; each prints one JSON line.",
        subcommands: [TokenizerBench.self])
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
