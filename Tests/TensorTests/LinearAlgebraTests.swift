import Testing

@testable import Tensor

/// Naive row-major product for reference: (M×K)·(K×N).
private func naiveProduct(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
    return c
}

@Suite("Matrix products")
struct LinearAlgebraTests {
    @Test(
        "matmul matches a naive product for every transpose combination",
        arguments: [
            (false, false), (true, false), (false, true), (true, true),
        ])
    func allTransposeCases(transposeA: Bool, transposeB: Bool) {
        let (m, k, n) = (3, 4, 5)
        let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 1)
        let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 2)
        let plainA = transposeA ? a.transposed().toArray() : a.toArray()
        let plainB = transposeB ? b.transposed().toArray() : b.toArray()
        let c = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [m, n])
        expectClose(c.toArray(), naiveProduct(plainA, plainB, m: m, k: k, n: n))
        expectGradientsMatch([a, b]) { x in Tensor.matmul(x[0], x[1], transposeA: transposeA, transposeB: transposeB) }
    }

    @Test(
        "matrix-vector shapes (one row or one column) take the gemv path correctly",
        arguments: [
            (1, 6, 4), (4, 6, 1), (1, 6, 1),
        ])
    func vectorShapes(m: Int, k: Int, n: Int) {
        let a = randomTensor([m, k], seed: 3)
        let b = randomTensor([k, n], seed: 4)
        expectClose(a.matmul(b).toArray(), naiveProduct(a.toArray(), b.toArray(), m: m, k: k, n: n))
        let w = randomTensor([n, k], seed: 5)
        expectClose(a.linear(w).toArray(), naiveProduct(a.toArray(), w.transposed().toArray(), m: m, k: k, n: n))
        expectGradientsMatch([a, w]) { x in x[0].linear(x[1]) }
        let bias = randomTensor([n], seed: 16)
        let withBias = a.linear(w, bias: bias).toArray()
        let plain = a.linear(w).toArray()
        expectClose(withBias, plain.enumerated().map { $0.element + bias.toArray()[$0.offset % n] }, "linear with bias")
        expectGradientsMatch([a, w, bias]) { x in x[0].linear(x[1], bias: x[2]) }
        let at = randomTensor([k, m], seed: 6)
        expectGradientsMatch([at, b]) { x in Tensor.matmul(x[0], x[1], transposeA: true) }
    }

    @Test("batched matmul multiplies matrix by matrix and folds a shared weight into one GEMM")
    func batched() {
        let a = randomTensor([2, 3, 4], seed: 7)
        let b = randomTensor([2, 4, 5], seed: 8)
        let c = a.matmul(b)
        #expect(c.shape == [2, 3, 5])
        for index in 0..<2 {
            let expected = naiveProduct(
                a.toArray()[(index * 12)..<(index * 12 + 12)].map { $0 },
                b.toArray()[(index * 20)..<(index * 20 + 20)].map { $0 }, m: 3, k: 4, n: 5)
            expectClose(Array(c.toArray()[(index * 15)..<(index * 15 + 15)]), expected)
        }
        expectGradientsMatch([a, b]) { x in x[0].matmul(x[1]) }
        let bt = randomTensor([2, 5, 3], seed: 15)
        expectGradientsMatch([a, bt]) { x in Tensor.matmul(x[0], x[1], transposeA: true, transposeB: true) }
        let w = randomTensor([6, 4], seed: 9)
        let bias = randomTensor([6], seed: 10)
        expectGradientsMatch([a, w, bias]) { x in x[0].linear(x[1], bias: x[2]) }
        let shared = randomTensor([3, 5], seed: 11)
        expectGradientsMatch([a, shared]) { x in Tensor.matmul(x[0], x[1], transposeA: true) }
    }

    @Test("transposed and sliced views are multiplied without losing elements")
    func stridedOperands() {
        let base = randomTensor([6, 5], seed: 12)
        let view = base.transposed()  // (5, 6), stored column-major
        let b = randomTensor([6, 2], seed: 13)
        expectClose(view.matmul(b).toArray(), naiveProduct(view.toArray(), b.toArray(), m: 5, k: 6, n: 2))
        let rows = base.sliced(axis: 1, range: 1..<4)  // (6, 3) with row stride 5
        let c = randomTensor([3, 2], seed: 14)
        expectClose(rows.matmul(c).toArray(), naiveProduct(rows.toArray(), c.toArray(), m: 6, k: 3, n: 2))
        expectGradientsMatch([base, c]) { x in x[0].sliced(axis: 1, range: 1..<4).matmul(x[1]) }
    }
}
