import ArgumentParser
import Foundation
import Tensor

/// `engine-bench`: measurements behind `bench/engine-train.sh` (BENCHMARKS.md, tensor engine).
///   engine-bench train [--steps N] [--warmup N] [--threads N] [--batch B]
///       trains the small GPT of GPT.swift with AdamW; prints one JSON line.
///   engine-bench sgemm [--size N] [--threads N]
///       OpenBLAS sgemm GFLOP/s (the peak for MFU) and `Tensor.matmul` at the same size; one JSON line.
/// Timings only; never part of the test suite.

func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Sequences that follow a fixed rule (next = 7·token + 3 mod V) from random starts, so the
/// loss visibly falls — a check that the step trains, not only that it runs.
func batch(_ generator: inout SeededGenerator, batch: Int, length: Int, vocabulary: Int) -> (
    ids: [Int32], targets: [Int32]
) {
    var ids: [Int32] = []
    var targets: [Int32] = []
    for _ in 0..<batch {
        var token = Int.random(in: 0..<vocabulary, using: &generator)
        for _ in 0..<length {
            ids.append(Int32(token))
            token = (7 * token + 3) % vocabulary
            targets.append(Int32(token))
        }
    }
    return (ids, targets)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func train(steps: Int, warmup: Int, batchSize: Int, threads: Int) {
    ThreadBudget(threads: threads).run { train(steps: steps, warmup: warmup, batchSize: batchSize) }
}

func train(steps: Int, warmup: Int, batchSize: Int) {
    let config = GPTConfig()
    let model = GPT(config: config, seed: 1337)
    let parameters = model.parameters
    var optimizer = AdamW(parameters: parameters, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1)
    var generator = SeededGenerator(seed: 42)
    var stepTimes: [Double] = []
    var firstLoss: Float = 0
    var lastLoss: Float = 0
    for step in 0..<(warmup + steps) {
        let (ids, targets) = batch(&generator, batch: batchSize, length: config.context, vocabulary: config.vocabulary)
        let start = now()
        let loss = model.loss(ids: ids, targets: targets, batch: batchSize)
        loss.backward()
        clipGradientNorm(parameters, maxNorm: 1)
        optimizer.step(learningRate: 1e-3)
        optimizer.zeroGrad()
        let elapsed = now() - start
        if step == 0 { firstLoss = loss.item() }
        lastLoss = loss.item()
        if step >= warmup { stepTimes.append(elapsed) }
    }
    let tokensPerStep = Double(batchSize * config.context)
    let total = stepTimes.reduce(0, +)
    let flopsPerToken =
        6 * Double(model.matmulParameterCount)
        + 12 * Double(config.layers * config.context * config.dimension)
    let result: [String: Any] = [
        "impl": "clarifycoder", "threads": Parallel.threadCount, "steps": steps,
        "tokens_per_s": tokensPerStep * Double(steps) / total,
        "step_ms_median": median(stepTimes) * 1000,
        "model_gflop_per_step": flopsPerToken * tokensPerStep / 1e9,
        "first_loss": firstLoss, "last_loss": lastLoss,
        "peak_rss_mb": peakResidentMegabytes(),
    ]
    printJSON(result)
}

func sgemm(size n: Int, threads: Int) {
    ThreadBudget(threads: threads).run { sgemm(size: n) }
}

func sgemm(size n: Int) {
    var generator = SeededGenerator(seed: 1)
    let a = Tensor.randomUniform([n, n], generator: &generator)
    let b = Tensor.randomUniform([n, n], generator: &generator)
    let c = Tensor.empty([n, n])
    var times: [Double] = []
    for _ in 0..<7 {
        let start = now()
        BLAS.gemm(
            transA: false, transB: false, m: n, n: n, k: n, a: a.data, lda: n, b: b.data, ldb: n, c: c.data, ldc: n)
        times.append(now() - start)
    }
    let flops = 2 * Double(n) * Double(n) * Double(n)
    let gflops = flops / median(Array(times.dropFirst())) / 1e9
    // The same product through the engine's API (output allocation, view checks, recording off).
    var opTimes: [Double] = []
    withNoGrad {
        for _ in 0..<7 {
            let start = now()
            _ = a.matmul(b)
            opTimes.append(now() - start)
        }
    }
    let opGflops = flops / median(Array(opTimes.dropFirst())) / 1e9
    printJSON([
        "impl": "openblas-sgemm", "size": n, "threads": Parallel.threadCount, "gflops": gflops,
        "tensor_matmul_gflops": opGflops, "tensor_matmul_vs_sgemm": opGflops / gflops,
    ])
}

func printJSON(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

@main
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-bench",
        abstract: "Tensor-engine timings behind bench/engine-train.sh; each prints one JSON line.",
        subcommands: [Train.self, Sgemm.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the small GPT of GPT.swift with AdamW and report tokens/s.")
        @Option(help: "Timed steps.") var steps = 20
        @Option(help: "Untimed steps first.") var warmup = 3
        @Option(help: "Sequences per step.") var batch = 8
        @Option(help: "Worker threads.") var threads = Parallel.coreCount

        func validate() throws { try requirePositive(["--steps": steps, "--batch": batch, "--threads": threads]) }
        func run() { train(steps: steps, warmup: warmup, batchSize: batch, threads: threads) }
    }

    struct Sgemm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "OpenBLAS sgemm GFLOP/s (the peak for MFU) and Tensor.matmul at the same size.")
        @Option(help: "Rows and columns of the square matrices.") var size = 1024
        @Option(help: "Worker threads.") var threads = Parallel.coreCount

        func validate() throws { try requirePositive(["--size": size, "--threads": threads]) }
        func run() { sgemm(size: size, threads: threads) }
    }
}

func requirePositive(_ values: KeyValuePairs<String, Int>) throws {
    for (name, value) in values where value <= 0 {
        throw ValidationError("\(name) must be a positive whole number, not \(value)")
    }
}
