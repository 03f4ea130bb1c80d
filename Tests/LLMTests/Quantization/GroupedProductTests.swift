import Foundation
import Tensor
import Testing

@testable import LLM

/// The q/k/v and gate/up products that a decode step runs as one parallel region, against each
/// weight's own product on one thread: the fusion and the thread count must change nothing.
@Suite("Grouped weight products")
struct GroupedProductTests {
    /// Weights of the given types, all `columns` wide, with the bytes that back them.
    private static func weights(_ types: [GGMLType], rows: [Int], columns: Int) -> [WeightMatrix] {
        zip(types, rows).enumerated().map { index, pair in
            let bytes = QuantizedDotTests.randomRows(pair.0, rows: pair.1, columns: columns, seed: UInt64(31 + index))
            let owner = ByteOwner(bytes)
            return WeightMatrix(
                quantized: pair.0, bytes: owner.pointer, owner: owner, rows: pair.1, columns: columns)
        }
    }

    private static func products(
        _ matrices: [WeightMatrix], _ x: [Float], count n: Int, grouped: Bool, threads: Int
    ) -> [[Float]] {
        var outputs = matrices.map { [Float](repeating: .nan, count: n * $0.rows) }
        let pointers = outputs.indices.map { index in
            UnsafeMutablePointer<Float>.allocate(capacity: outputs[index].count)
        }
        defer { pointers.forEach { $0.deallocate() } }
        ThreadBudget(threads: threads).run {
            if grouped {
                WeightMatrix.apply(matrices, x, count: n, into: pointers)
            } else {
                for (matrix, y) in zip(matrices, pointers) { matrix.apply(x, count: n, into: y) }
            }
        }
        for index in outputs.indices {
            outputs[index] = Array(UnsafeBufferPointer(start: pointers[index], count: outputs[index].count))
        }
        return outputs
    }

    @Test(
        "q/k/v in one region on three threads equal each weight's own product on one, bit for bit",
        arguments: [
            [GGMLType.q5_0, .q5_0, .q8_0],  // the 0.5B's attention: one activation format
            [.q4_K, .q4_K, .q6_K],  // the 1.5B's
            [.q4_K, .q8_0, .q6_K],  // both formats in one group
        ])
    func groupedEqualsSeparate(types: [GGMLType]) {
        let columns = 512
        let matrices = Self.weights(types, rows: [96, 32, 40], columns: columns)
        // Decode, a small batch, the integer limit, and a prefill that falls back to one product each.
        for n in [1, 3, WeightMatrix.integerBatchLimit, 20] {
            let x = QuantizedDotTests.randomActivations(n * columns, seed: UInt64(n))
            let separate = Self.products(matrices, x, count: n, grouped: false, threads: 1)
            let grouped = Self.products(matrices, x, count: n, grouped: true, threads: 3)
            for index in matrices.indices {
                #expect(grouped[index] == separate[index], "\(types[index]) weight \(index), \(n) rows")
            }
        }
    }

    @Test("prefill through decoded bands gives the same rows on one thread and on three")
    func prefillThreadInvariance() {
        // 8,960 columns: the 1.5B's down projection; 150 rows: two whole bands and a partial one.
        let matrices = Self.weights([.q6_K], rows: [150], columns: 8960)
        let x = QuantizedDotTests.randomActivations(24 * 8960, seed: 7)
        let single = Self.products(matrices, x, count: 24, grouped: false, threads: 1)
        let several = Self.products(matrices, x, count: 24, grouped: false, threads: 3)
        #expect(single == several)
        #expect(single[0].allSatisfy { $0.isFinite })
    }
}

/// Keeps a weight's bytes alive at a stable address for as long as the matrix holds it.
private final class ByteOwner {
    let pointer: UnsafeMutableRawPointer
    init(_ bytes: [UInt8]) {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 64)
        pointer.copyMemory(from: bytes, byteCount: bytes.count)
    }
    deinit { pointer.deallocate() }
}
