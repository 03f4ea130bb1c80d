import Foundation
import LLM

/// Benchmark driver for the LLM target, run by `bench/*.sh` (release build).
///
///     llm-bench tokenizer --gguf MODEL.gguf --text DOCUMENTS.json [--repeat N] [--ids-out FILE]
///
/// Encodes each document of a JSON array of strings, one thread; prints one JSON line: the
/// median time over `--repeat` runs, bytes, tokens and MB/s.
/// `--ids-out` writes the ids (one per line) so the script can check them against the baseline.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("llm-bench: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "tokenizer" else { fail("usage: llm-bench tokenizer --gguf FILE --text FILE [--repeat N]") }
arguments.removeFirst()
var options: [String: String] = [:]
while arguments.count >= 2 {
    options[arguments[0]] = arguments[1]
    arguments.removeFirst(2)
}
guard let modelPath = options["--gguf"], let textPath = options["--text"] else { fail("--gguf and --text are required") }
let repeats = Int(options["--repeat"] ?? "5") ?? 5

do {
    let tokenizer = try Tokenizer(gguf: GGUFFile(path: modelPath))
    let documents = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: textPath)))
    let bytes = documents.reduce(0) { $0 + $1.utf8.count }
    var times: [Double] = []
    var ids: [Int] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        ids = []
        for document in documents { ids += tokenizer.encode(document) }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    let median = times[times.count / 2]
    if let out = options["--ids-out"] {
        try ids.map(String.init).joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
    }
    print(
        #"{"seconds":\#(median),"bytes":\#(bytes),"tokens":\#(ids.count),"mb_per_s":\#(Double(bytes) / median / 1e6)}"#)
} catch {
    fail("\(error)")
}
