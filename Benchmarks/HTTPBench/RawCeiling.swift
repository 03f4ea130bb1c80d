// The ceiling for phase 1: the same fake server and load, driven by bare async-http-client calls
// with none of our layers (no limiter, retries, deadlines, JSON encoding or decoding, no batch
// helper). `ours / raw` is the share of the achievable rate that our client keeps; `raw / ideal`
// is what the server, loopback, SwiftNIO and Swift concurrency leave on this machine now.
import AsyncHTTPClient
import BackendsTesting
import Foundation
import NIOCore
import NIOHTTP1

/// Timing of one throughput run.
struct RunTiming {
    var seconds: Double
    /// CPU time of the whole process (client and fake server) per request, in milliseconds.
    var cpuMillisecondsPerRequest: Double
    /// Voluntary context switches of the whole process per request.
    var switchesPerRequest: Double
    /// Per-request round trip minus the server's latency, in milliseconds, sorted.
    var excessMilliseconds: [Double]

    func excess(percentile: Double) -> Double {
        guard !excessMilliseconds.isEmpty else { return .nan }
        let position = Int((Double(excessMilliseconds.count - 1) * percentile).rounded())
        return excessMilliseconds[position]
    }
}

/// `count` POSTs of a fixed chat body at `concurrency` in flight through a bare `HTTPClient`
/// whose pool matches the one `OpenAICompatibleModel` builds, after a warm-up of `concurrency`
/// requests that opens the connections.
func rawCeiling(latency: Duration, count: Int, concurrency: Int) async throws -> RunTiming {
    let server = try await FakeOpenAIServer.start(.init(latency: latency, maxRequests: 10 * count + concurrency))
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(
        idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
    configuration.timeout = .init(connect: .seconds(10))
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    let url = server.baseURL + "/chat/completions"
    let body = ByteBuffer(
        string: #"{"max_tokens":16,"messages":[{"content":"bench","role":"system"},"#
            + #"{"content":"item 0","role":"user"}],"model":"fake-model","temperature":0}"#)

    // One worker per slot, worker w sending requests w, w + concurrency, w + 2·concurrency, ….
    func drive(_ total: Int) async throws -> RunTiming {
        let clock = ContinuousClock()
        let start = clock.now
        let usage = ProcessUsage.now()
        let excess = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var mine: [Double] = []
                    for _ in stride(from: worker, to: total, by: concurrency) {
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(body)
                        let sent = clock.now
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        guard response.status == .ok else {
                            throw CeilingError(status: response.status)
                        }
                        mine.append(milliseconds(clock.now - sent - latency))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = clock.now - start
        let cost = ProcessUsage.now().perRequest(since: usage, requests: total)
        return RunTiming(
            seconds: seconds(elapsed), cpuMillisecondsPerRequest: cost.cpuMilliseconds,
            switchesPerRequest: cost.switches, excessMilliseconds: excess.sorted())
    }

    do {
        _ = try await drive(concurrency)
        let timing = try await drive(count)
        try await client.shutdown()
        try await server.shutdown()
        return timing
    } catch {
        try? await client.shutdown()
        try? await server.shutdown()
        throw error
    }
}

struct CeilingError: Error, CustomStringConvertible {
    var status: HTTPResponseStatus
    var description: String { "raw ceiling: the fake server answered \(status) to a clean request" }
}

func seconds(_ duration: Duration) -> Double {
    let (whole, atto) = duration.components
    return Double(whole) + Double(atto) / 1e18
}

func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1000 }

/// What the process has used so far, for costs per request that, unlike wall time, other jobs on
/// the machine do not inflate: CPU time, and voluntary context switches — a thread going to sleep
/// to wait for another, i.e. the hand-offs between threads that a round trip takes.
struct ProcessUsage {
    var cpuSeconds: Double
    var voluntarySwitches: Int

    static func now() -> ProcessUsage {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let time = { (value: timeval) in Double(value.tv_sec) + Double(value.tv_usec) / 1e6 }
        return ProcessUsage(
            cpuSeconds: time(usage.ru_utime) + time(usage.ru_stime), voluntarySwitches: usage.ru_nvcsw)
    }

    /// Per request since `start`: CPU milliseconds and voluntary context switches.
    func perRequest(since start: ProcessUsage, requests: Int) -> (cpuMilliseconds: Double, switches: Double) {
        (
            (cpuSeconds - start.cpuSeconds) * 1000 / Double(requests),
            Double(voluntarySwitches - start.voluntarySwitches) / Double(requests)
        )
    }
}
