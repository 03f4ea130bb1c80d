// The HTTP backend benchmark behind bench/http.sh (docs/design.md; the "HTTP backends" target in BENCHMARKS.md).
//
// Phase 1, throughput: a fake OpenAI-compatible server that answers after a fixed latency,
// `requests` requests with `concurrency` in flight; the ideal rate is concurrency / latency, and
// the ratio achieved / ideal is the figure of merit (target ≥ 0.90). Repeated, median reported.
// Each repeat is preceded by the raw ceiling (RawCeiling.swift) on a fresh server, so `ratio_of_raw`
// separates our client's layers from what the server, loopback and SwiftNIO cost on the machine.
// Phase 2, faults: the same load with injected 429s (with Retry-After), 500s, hangs past the
// attempt deadline, truncated JSON, garbage bodies and connection resets on first attempts, plus
// items whose every attempt fails. Every item must come back exactly once — its own answer or a
// recorded failure — so `lost` and `duplicated` must be 0.
//
// Human-readable lines go to stderr; the last stdout line is one JSON object.
import ArgumentParser
import Foundation

@main
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clarifycoder-http-bench",
        abstract: "Throughput and fault handling of the OpenAI-compatible client against a fake server.",
        discussion: """
            Run by bench/http.sh (release build). Human-readable lines go to stderr; the last stdout \
            line is one JSON object. Exits 1 when a clean-server request fails or an item is lost, \
            duplicated or fails unexpectedly under faults.
            """)

    @Option(help: "Requests per run.")
    var requests = 1000
    @Option(help: "Requests in flight.")
    var concurrency = 64
    @Option(name: .customLong("latency-ms"), help: "The fake server's latency per request, in milliseconds.")
    var latencyMilliseconds = 200
    @Option(help: "Throughput runs; the median is reported.")
    var repeats = 3

    func validate() throws {
        for (name, value) in [
            ("--requests", requests), ("--concurrency", concurrency), ("--latency-ms", latencyMilliseconds),
            ("--repeats", repeats),
        ] where value <= 0 {
            throw ValidationError("\(name) must be a positive whole number, not \(value)")
        }
    }

    func run() async throws {
        let options = Options(
            requests: requests, concurrency: concurrency, latencyMilliseconds: latencyMilliseconds, repeats: repeats)
        guard try await benchmark(options) else { throw ExitCode(1) }
    }
}

struct Options {
    var requests: Int
    var concurrency: Int
    var latencyMilliseconds: Int
    var repeats: Int
}
