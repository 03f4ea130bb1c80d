import Backends
import BackendsTesting
import ClarifyCore
import Foundation
import Synchronization

func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

func requests(_ count: Int, tag: String) -> [ChatRequest] {
    (0..<count).map { ChatRequest(messages: [.system("bench"), .user("\(tag) \($0)")], maxTokens: 16) }
}

/// Runs one batch against a server with `configuration`; returns results, seconds and retries.
func run(
    server configuration: FakeOpenAIServer.Configuration, client: (String) -> OpenAIConfiguration,
    batch: [ChatRequest], concurrency: Int
) async throws -> (
    results: [Result<ChatResponse, BackendError>], seconds: Double,
    cost: (cpuMilliseconds: Double, switches: Double), retries: Int, served: Int
) {
    let server = try await FakeOpenAIServer.start(configuration)
    let retries = RetryCounter()
    let model = try OpenAICompatibleModel(configuration: client(server.baseURL), onRetry: { _ in retries.add() })
    // Warm-up: open the connection pool so the timed run measures steady state.
    _ = await model.completeBatch(requests(concurrency, tag: "warmup"), maxConcurrent: concurrency)
    let clock = ContinuousClock()
    let start = clock.now
    let usage = ProcessUsage.now()
    let results = await model.completeBatch(batch, maxConcurrent: concurrency)
    let elapsed = clock.now - start
    let cost = ProcessUsage.now().perRequest(since: usage, requests: batch.count)
    let served = server.statistics.requests
    try await model.shutdown()
    try await server.shutdown()
    return (results, seconds(elapsed), cost, retries.value, served)
}

final class RetryCounter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The 1-minute load average, so each result carries the machine's state with it.
func loadAverage() -> Double {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return Double(text.split(separator: " ").first ?? "") ?? .nan
}

/// Both phases; prints the summary line and says whether every item came back as it should.
func benchmark(_ options: Options) async throws -> Bool {
    let latency = Duration.milliseconds(options.latencyMilliseconds)
    let ideal = Double(options.concurrency) / (Double(options.latencyMilliseconds) / 1000)

    // Phase 1: throughput on a clean server, each repeat measuring the raw ceiling and then our client,
    // so both see the same machine load.
    var ratios: [Double] = []
    var rates: [Double] = []
    var rawRatios: [Double] = []
    var rawExcess: [(p50: Double, p90: Double)] = []
    var cpuPerRequest: [Double] = []
    var rawCPUPerRequest: [Double] = []
    var switchesPerRequest: [Double] = []
    var rawSwitchesPerRequest: [Double] = []
    let loadAtStart = loadAverage()
    for repeat_ in 1...options.repeats {
        let raw = try await rawCeiling(latency: latency, count: options.requests, concurrency: options.concurrency)
        let rawRate = Double(options.requests) / raw.seconds
        rawRatios.append(rawRate / ideal)
        rawExcess.append((raw.excess(percentile: 0.5), raw.excess(percentile: 0.9)))
        rawCPUPerRequest.append(raw.cpuMillisecondsPerRequest)
        rawSwitchesPerRequest.append(raw.switchesPerRequest)
        log(
            String(
                format: "raw ceiling run %d: %.3f s, %.1f req/s, ratio %.3f, CPU %.3f ms/request, %.1f context "
                    + "switches/request; per request over the latency: median %.1f ms, p90 %.1f ms, max %.1f ms",
                repeat_, raw.seconds, rawRate, rawRate / ideal, raw.cpuMillisecondsPerRequest, raw.switchesPerRequest,
                raw.excess(percentile: 0.5), raw.excess(percentile: 0.9), raw.excess(percentile: 1)))
        let outcome = try await run(
            server: .init(latency: latency, maxRequests: 10 * options.requests),
            client: {
                OpenAIConfiguration(
                    baseURL: $0, model: "fake-model", maxConcurrentRequests: options.concurrency,
                    attemptTimeout: .seconds(30))
            },
            batch: requests(options.requests, tag: "item"), concurrency: options.concurrency)
        let failures = outcome.results.filter { (try? $0.get()) == nil }.count
        let rate = Double(options.requests) / outcome.seconds
        rates.append(rate)
        ratios.append(rate / ideal)
        cpuPerRequest.append(outcome.cost.cpuMilliseconds)
        switchesPerRequest.append(outcome.cost.switches)
        log(
            String(
                format: "throughput run %d: %.3f s, %.1f req/s (ideal %.1f), ratio %.3f, CPU %.3f ms/request, "
                    + "%.1f context switches/request, failures %d",
                repeat_, outcome.seconds, rate, ideal, rate / ideal, outcome.cost.cpuMilliseconds, outcome.cost.switches,
                failures))
        guard failures == 0 else {
            log("a clean-server request failed: \(outcome.results.first { (try? $0.get()) == nil }!)")
            return false
        }
    }

    // Phase 2: faults. Item i's first attempt fails in a fixed rotation; items ≡ 13 (mod 50) always fail.
    let rotation: [FakeBehavior] = [
        .rateLimited(retryAfter: "1"), .serverError, .hang, .truncatedJSON, .garbage, .connectionReset,
        .rateLimited(retryAfter: nil), .emptyChoices, .ok, .ok,
    ]
    let faultPlan: @Sendable (FakeRequest) -> FakeBehavior = { request in
        let number = Int(request.lastUserMessage.split(separator: " ").last ?? "") ?? 0
        guard request.lastUserMessage.hasPrefix("item") else { return .ok }
        if number % 50 == 13 { return .serverError }
        return request.attempt == 0 ? rotation[number % rotation.count] : .ok
    }
    let faulty = try await run(
        server: .init(latency: latency, maxRequests: 10 * options.requests, hangLimit: .seconds(3), plan: faultPlan),
        client: {
            OpenAIConfiguration(
                baseURL: $0, model: "fake-model", maxConcurrentRequests: options.concurrency,
                attemptTimeout: .seconds(1), requestDeadline: .seconds(60),
                retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(2)))
        },
        batch: requests(options.requests, tag: "item"), concurrency: options.concurrency)

    var completed = 0
    var failed = 0
    var mismatched = 0
    var answers: [String: Int] = [:]
    for (index, result) in faulty.results.enumerated() {
        switch result {
        case .success(let response):
            completed += 1
            answers[response.text, default: 0] += 1
            if response.text != "echo: item \(index)" { mismatched += 1 }
        case .failure(let error):
            failed += 1
            if index % 50 != 13 { log("item \(index) failed unexpectedly: \(error)") }
        }
    }
    let duplicated = answers.values.reduce(0) { $0 + max(0, $1 - 1) } + mismatched
    let lost = options.requests - faulty.results.count
    let expectedFailures = (0..<options.requests).filter { $0 % 50 == 13 }.count
    log(
        String(
            format:
                "faults: %.3f s, %d completed, %d failed (%d expected), %d retries, %d server requests, "
                + "lost %d, duplicated %d",
            faulty.seconds, completed, failed, expectedFailures, faulty.retries, faulty.served, lost, duplicated))

    let median = { (values: [Double]) in values.sorted()[values.count / 2] }
    let rounded3 = { (value: Double) in (value * 1000).rounded() / 1000 }
    let ourShare = zip(ratios, rawRatios).map { $0 / $1 }
    let summary: [String: Any] = [
        "name": "http",
        "requests": options.requests,
        "in_flight": options.concurrency,
        "latency_ms": options.latencyMilliseconds,
        "ideal_req_per_s": ideal,
        "achieved_req_per_s": (median(rates) * 10).rounded() / 10,
        "ratio": rounded3(median(ratios)),
        "ratios": ratios.map(rounded3),
        "raw_ratio": rounded3(median(rawRatios)),
        "raw_ratios": rawRatios.map(rounded3),
        "ratio_of_raw": rounded3(median(ourShare)),
        "raw_excess_ms_p50": (median(rawExcess.map(\.p50)) * 10).rounded() / 10,
        "raw_excess_ms_p90": (median(rawExcess.map(\.p90)) * 10).rounded() / 10,
        "cpu_ms_per_request": rounded3(median(cpuPerRequest)),
        "raw_cpu_ms_per_request": rounded3(median(rawCPUPerRequest)),
        "switches_per_request": (median(switchesPerRequest) * 10).rounded() / 10,
        "raw_switches_per_request": (median(rawSwitchesPerRequest) * 10).rounded() / 10,
        "load_avg_start": loadAtStart,
        "load_avg_end": loadAverage(),
        "fault_seconds": (faulty.seconds * 1000).rounded() / 1000,
        "completed": completed,
        "failed": failed,
        "expected_failed": expectedFailures,
        "retries": faulty.retries,
        "lost": lost,
        "duplicated": duplicated,
    ]
    let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
    return lost == 0 && duplicated == 0 && failed == expectedFailures
}
