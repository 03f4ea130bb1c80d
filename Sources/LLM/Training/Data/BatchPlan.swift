import Tensor

/// The order in which examples are trained: a deterministic function of the seed, so a resumed
/// run rebuilds it and skips to the saved position instead of storing it.
///
/// Each pass over a stage shuffles the stage (Fisher–Yates driven by SplitMix64 seeded from
/// (seed, stage, pass) — not Swift's `shuffled`, whose algorithm is not promised to stay the
/// same), groups examples of similar length as `transformers`' `LengthGroupedSampler` does
/// (mega-batches of 50 micro-batches sorted by length) so padding stays small, and shuffles the
/// order of the micro-batches. Stages run in order: with `epochs` E, E passes over stage 1 then E
/// over stage 2; with a step budget the passes repeat in that order until the budget is spent.
struct BatchPlan {
    /// Example indices of one micro-batch, and its stage.
    struct MicroBatch: Equatable {
        var stage: Int
        var examples: [Int]
    }

    let seed: UInt64
    let batchSize: Int
    let stageLengths: [[Int]]
    let epochs: Int

    static let megaBatchFactor = 50

    /// The micro-batches of pass `pass`, in order. Passes count across stages (pass k is stage
    /// k / epochs of the first round, …).
    func microBatches(pass: Int) -> [MicroBatch] {
        let round = pass / (epochs * stageLengths.count)
        let withinRound = pass % (epochs * stageLengths.count)
        let stage = withinRound / epochs
        let epoch = round * epochs + withinRound % epochs
        let lengths = stageLengths[stage]
        var generator = SeededGenerator(
            seed: SeededGenerator.mix(seed ^ 0x5EED_BA7C) &+ UInt64(stage) &* 0x1_0000_0001 &+ UInt64(epoch))
        var order = Array(lengths.indices)
        Self.shuffle(&order, using: &generator)
        var batches: [[Int]] = []
        let mega = batchSize * Self.megaBatchFactor
        for start in stride(from: 0, to: order.count, by: mega) {
            // Stable sort, longest first, so ties keep the shuffled order.
            let group = order[start..<min(start + mega, order.count)].enumerated()
                .sorted { a, b in
                    let (la, lb) = (lengths[a.element], lengths[b.element])
                    return la != lb ? la > lb : a.offset < b.offset
                }
                .map(\.element)
            for b in stride(from: 0, to: group.count, by: batchSize) {
                batches.append(Array(group[b..<min(b + batchSize, group.count)]))
            }
        }
        Self.shuffle(&batches, using: &generator)
        return batches.map { MicroBatch(stage: stage, examples: $0) }
    }

    /// Micro-batches in one round of passes (every stage, `epochs` times each).
    var microBatchesPerRound: Int {
        stageLengths.map { ($0.count + batchSize - 1) / batchSize }.reduce(0, +) * epochs
    }

    static func shuffle<T>(_ items: inout [T], using generator: inout SeededGenerator) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            items.swapAt(i, j)
        }
    }
}

/// Walks a ``BatchPlan`` micro-batch by micro-batch from any position (for resume).
struct BatchCursor {
    let plan: BatchPlan
    /// Micro-batches consumed so far: the data position a checkpoint stores.
    private(set) var position = 0
    private var pass = 0
    private var current: [BatchPlan.MicroBatch] = []
    private var index = 0

    init(plan: BatchPlan, position: Int = 0) {
        self.plan = plan
        current = plan.microBatches(pass: 0)
        for _ in 0..<position { _ = next() }
    }

    mutating func next() -> BatchPlan.MicroBatch {
        while index >= current.count {
            pass += 1
            current = plan.microBatches(pass: pass)
            index = 0
        }
        defer {
            index += 1
            position += 1
        }
        return current[index]
    }
}
