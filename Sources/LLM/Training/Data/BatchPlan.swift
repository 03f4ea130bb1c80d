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
///
/// With groups (``TrainingParameters/groupBy``) the shuffled and length-sorted units are the
/// groups (sorted by their longest example) rather than single examples, and a group that fits in
/// a micro-batch is never split: the batch is closed early instead. Without groups, sorting by
/// length puts the short clear → code examples in one batch and the long dialogues in another, so
/// the ask-or-code decision is learned from batches of one kind, and the prior swings between them.
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
    /// Per stage, each example's group (nil: a group of its own); empty: no grouping.
    let stageGroups: [[String?]]

    static let megaBatchFactor = 50

    init(seed: UInt64, batchSize: Int, stageLengths: [[Int]], epochs: Int, stageGroups: [[String?]] = []) {
        precondition(stageGroups.isEmpty || stageGroups.map(\.count) == stageLengths.map(\.count))
        self.seed = seed
        self.batchSize = batchSize
        self.stageLengths = stageLengths
        self.epochs = epochs
        self.stageGroups = stageGroups
    }

    /// The units of stage `stage` in example order: each group's examples together (ordered by
    /// first appearance), ungrouped examples alone.
    func units(stage: Int) -> [[Int]] {
        guard !stageGroups.isEmpty else { return stageLengths[stage].indices.map { [$0] } }
        var units: [[Int]] = []
        var unitOfGroup: [String: Int] = [:]
        for (index, group) in stageGroups[stage].enumerated() {
            if let group, let unit = unitOfGroup[group] {
                units[unit].append(index)
            } else {
                if let group { unitOfGroup[group] = units.count }
                units.append([index])
            }
        }
        return units
    }

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
        var order = units(stage: stage)
        Self.shuffle(&order, using: &generator)
        var batches: [[Int]] = []
        let mega = batchSize * Self.megaBatchFactor
        var start = 0
        while start < order.count {
            // A mega-batch: whole units, about `mega` examples.
            var end = start, examples = 0
            while end < order.count && examples < mega {
                examples += order[end].count
                end += 1
            }
            // Stable sort by each unit's longest example, longest first, so ties keep the shuffled order.
            let group = order[start..<end].map { unit in (unit, unit.map { lengths[$0] }.max()!) }.enumerated()
                .sorted { a, b in
                    a.element.1 != b.element.1 ? a.element.1 > b.element.1 : a.offset < b.offset
                }
                .map(\.element.0)
            var current: [Int] = []
            for unit in group {
                if unit.count <= batchSize && current.count + unit.count > batchSize {
                    batches.append(current)
                    current = []
                }
                for example in unit {
                    current.append(example)
                    if current.count == batchSize {
                        batches.append(current)
                        current = []
                    }
                }
            }
            if !current.isEmpty { batches.append(current) }
            start = end
        }
        Self.shuffle(&batches, using: &generator)
        return batches.map { MicroBatch(stage: stage, examples: $0) }
    }

    /// Micro-batches in one round of passes (every stage, `epochs` times each). With groups the
    /// count depends on how the groups pack, so it is counted from the first round.
    var microBatchesPerRound: Int {
        guard !stageGroups.isEmpty else {
            return stageLengths.map { ($0.count + batchSize - 1) / batchSize }.reduce(0, +) * epochs
        }
        return (0..<(epochs * stageLengths.count)).map { microBatches(pass: $0).count }.reduce(0, +)
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
