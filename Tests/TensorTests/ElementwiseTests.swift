import Foundation
import Testing

@testable import Tensor

@Suite("Elementwise ops and reductions")
struct ElementwiseTests {
    @Test(
        "broadcast arithmetic matches NumPy rules",
        arguments: [
            ([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1, 3], [1, 4, 1]), ([3], [2, 3]), ([2, 3], [1]),
        ])
    func broadcastForward(lhs: [Int], rhs: [Int]) {
        let a = randomTensor(lhs, seed: 1)
        let b = randomTensor(rhs, seed: 2, in: 0.5...1.5)
        let shape = Tensor.broadcastShape(lhs, rhs)
        let ea = withNoGrad { a.expanded(to: shape).toArray() }
        let eb = withNoGrad { b.expanded(to: shape).toArray() }
        #expect((a + b).toArray() == zip(ea, eb).map { $0 + $1 })
        #expect((a - b).toArray() == zip(ea, eb).map { $0 - $1 })
        #expect((a * b).toArray() == zip(ea, eb).map { $0 * $1 })
        #expect((a / b).toArray() == zip(ea, eb).map { $0 / $1 })
    }

    @Test("broadcast arithmetic has correct gradients for both operands")
    func broadcastGradients() {
        let a = randomTensor([2, 1, 3], seed: 3)
        let b = randomTensor([4, 1], seed: 4, in: 0.5...1.5)
        expectGradientsMatch([a, b]) { x in x[0] + x[1] }
        expectGradientsMatch([a, b]) { x in x[0] - x[1] }
        expectGradientsMatch([a, b]) { x in x[0] * x[1] }
        expectGradientsMatch([a, b]) { x in x[0] / x[1] }
        expectGradientsMatch([a]) { x in (x[0] * 3 + 1.5) / 2 - x[0] }
    }

    @Test(
        "every pointwise function has a gradient matching finite differences",
        arguments: [
            UnaryFunction.exp, .log, .tanh, .sigmoid, .silu, .geluTanh, .geluExact, .relu, .sqrt, .square,
        ])
    func unaryGradients(function: UnaryFunction) {
        let positive: Set<UnaryFunction> = [.log, .sqrt]
        // Keep relu's inputs away from its kink, where the derivative jumps.
        let x =
            positive.contains(function)
            ? randomTensor([3, 5], seed: 5, in: 0.3...2)
            : Tensor(
                randomTensor([3, 5], seed: 5, in: 0.1...2).toArray().enumerated().map {
                    $0.offset % 2 == 0 ? $0.element : -$0.element
                }, shape: [3, 5])
        expectGradientsMatch([x]) { xs in xs[0].apply(function) }
    }

    @Test("pointwise functions agree with their textbook definitions")
    func unaryForward() {
        let values: [Float] = [-3, -0.5, 0, 0.7, 2.5]
        let x = Tensor(values, shape: [5])
        expectClose(x.silu().toArray(), values.map { $0 / (1 + Foundation.exp(-$0)) })
        expectClose(
            x.gelu(approximate: false).toArray(), values.map { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot().float)) })
        // PyTorch: F.gelu(torch.tensor([-3., -0.5, 0., 0.7, 2.5]), approximate="tanh")
        expectClose(
            x.gelu(approximate: true).toArray(), [-0.0036374331, -0.154285997, 0, 0.53057015, 2.48491573],
            absolute: 1e-6)
        expectClose(x.sigmoid().toArray(), values.map { 1 / (1 + Foundation.exp(-$0)) })
    }

    @Test("sum, mean and max reduce the chosen axis")
    func reductionsForward() {
        let x = Tensor([1, 5, 3, 4, 2, 6], shape: [2, 3])
        #expect(x.sum(axis: 0).toArray() == [5, 7, 9])
        #expect(x.sum(axis: 1, keepDim: true).shape == [2, 1])
        #expect(x.sum(axis: -1).toArray() == [9, 12])
        #expect(x.mean(axis: 1).toArray() == [3, 4])
        #expect(x.max(axis: 1).toArray() == [5, 6])
        #expect(x.max(axis: 0).toArray() == [4, 5, 6])
        #expect(x.sum().item() == 21)
        #expect(x.mean().item() == 3.5)
    }

    @Test("reductions have gradients matching finite differences")
    func reductionGradients() {
        // Distinct values 0.1 apart, so a finite-difference step never changes which element is the max.
        var generator = SeededGenerator(seed: 6)
        let x = Tensor((0..<60).map { Float($0) * 0.1 - 3 }.shuffled(using: &generator), shape: [3, 4, 5])
        for axis in 0..<3 {
            expectGradientsMatch([x]) { xs in xs[0].sum(axis: axis) }
            expectGradientsMatch([x]) { xs in xs[0].mean(axis: axis, keepDim: true) }
            expectGradientsMatch([x]) { xs in xs[0].max(axis: axis) }
        }
        expectGradientsMatch([x]) { xs in xs[0].mean() }
    }

    @Test("softmax rows sum to one and survive huge logits")
    func softmaxStable() {
        let x = Tensor([1000, 1001, 1002, -5, 0, 5], shape: [2, 3])
        let y = x.softmax().toArray()
        expectClose(Array(y[0..<3]), [0.09003057, 0.24472847, 0.66524096])
        #expect(abs(y[3..<6].reduce(0, +) - 1) < 1e-6)
        let logY = x.logSoftmax().toArray()
        expectClose(Array(logY[0..<3]), [-2.407606, -1.4076059, -0.40760595])
    }

    @Test("softmax and log-softmax have correct gradients")
    func softmaxGradients() {
        let x = randomTensor([3, 6], seed: 8, in: -3...3)
        expectGradientsMatch([x]) { xs in xs[0].softmax() }
        expectGradientsMatch([x]) { xs in xs[0].logSoftmax() }
    }

    @Test("dropout zeroes about p of the elements, rescales the rest, and repeats with the seed")
    func dropoutStatistics() {
        let x = Tensor.ones([100_000])
        let y = x.dropout(probability: 0.25, seed: 42).toArray()
        let dropped = Float(y.filter { $0 == 0 }.count) / Float(y.count)
        #expect(abs(dropped - 0.25) < 0.01)
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 4 / 3) < 1e-6 })
        #expect(x.dropout(probability: 0.25, seed: 42).toArray() == y)
        #expect(x.dropout(probability: 0.25, seed: 43).toArray() != y)
        let small = randomTensor([4, 6], seed: 9)
        expectGradientsMatch([small]) { xs in xs[0].dropout(probability: 0.3, seed: 5) }
    }
}

extension Double {
    fileprivate var float: Float { Float(self) }
}
