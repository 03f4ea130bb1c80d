import Foundation
import Tensor
import Testing

@testable import LLM

/// Random adapters and comparisons shared by the adapter-inference and export suites.
enum RandomAdapter {
    /// An adapter on `targets` of every layer of `config`, with A and B both random (PEFT starts B
    /// at zero; a trained adapter does not, and a zero B would hide every bug), sized so the
    /// update moves the logits clearly without swamping the base.
    static func make(
        for config: TransformerConfig, targets: [LoRATarget] = [.q, .k, .v, .o], rank: Int = 4, alpha: Float = 8,
        standardDeviation: Float = 0.05, seed: UInt64 = 7
    ) -> LoRAAdapter {
        var generator = SeededGenerator(seed: seed)
        func random(_ count: Int) -> [Float] {
            let t = Tensor.randomNormal([count], standardDeviation: standardDeviation, generator: &generator)
            return Array(UnsafeBufferPointer(start: t.data, count: count))
        }
        let (d, qd) = (config.hiddenSize, config.headCount * config.headDim)
        let (kvd, ff) = (config.kvHeadCount * config.headDim, config.intermediateSize)
        var modules: [String: LoRAAdapter.Pair] = [:]
        for layer in 0..<config.layerCount {
            for target in targets {
                let (out, input): (Int, Int) =
                    switch target {
                    case .q: (qd, d)
                    case .k, .v: (kvd, d)
                    case .o: (d, qd)
                    case .gate, .up: (ff, d)
                    case .down: (d, ff)
                    }
                modules[target.modulePath(layer: layer)] = LoRAAdapter.Pair(
                    a: random(rank * input), b: random(out * rank), inFeatures: input, outFeatures: out)
            }
        }
        return LoRAAdapter(
            config: LoRAConfig(rank: rank, alpha: alpha, dropout: 0, targets: targets), modules: modules)
    }
}

/// Asserts `actual` matches `expected` within `relative` of the largest magnitude in `expected`.
func expectRelativelyClose(
    _ actual: [Float], _ expected: [Float], relative: Float, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let scale = max(expected.map(abs).max() ?? 0, 1e-6)
    expectClose(actual, expected, tolerance: relative * scale, what, sourceLocation: sourceLocation)
}

/// The largest |a − b| over two rows.
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Logits at every position of `ids`, fresh cache.
func allLogits(_ model: LlamaModel, _ ids: [Int]) -> [[Float]] {
    model.forward([.init(slot: 0, tokens: ids)], cache: model.makeCache(capacity: ids.count + 1), allPositions: true)
}

/// A fresh temporary folder path (not created).
func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "clarifycoder-\(name)-\(UUID().uuidString)"
}
