import Foundation
import Testing

@testable import Tensor

@Suite("Autograd bookkeeping")
struct AutogradTests {
    @Test("frozen weights get no gradient buffer, yet gradients flow through them")
    func frozenWeights() {
        let frozen = randomTensor([4, 3], seed: 1)  // requiresGrad = false, like a base weight under LoRA
        let adapter = randomTensor([3, 3], seed: 2)
        adapter.requiresGrad = true
        let x = randomTensor([2, 3], seed: 3)
        x.requiresGrad = true
        let loss = x.matmul(adapter).linear(frozen).square().sum()
        loss.backward()
        #expect(frozen.grad == nil)
        #expect(adapter.grad != nil)
        #expect(x.grad != nil)
        expectGradientsMatch([x, adapter]) { i in i[0].matmul(i[1]).linear(frozen) }
    }

    @Test("no-grad mode records nothing and marks nothing as requiring grad")
    func noGradMode() {
        let w = randomTensor([3, 3], seed: 4)
        w.requiresGrad = true
        let y = withNoGrad { w.matmul(w).softmax() }
        #expect(!y.requiresGrad)
        #expect(y.node == nil)
        let recorded = w.matmul(w)
        #expect(recorded.requiresGrad)
        #expect(recorded.node != nil)
    }

    @Test("a second backward accumulates and zeroGrad clears")
    func accumulation() {
        let w = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        (w * w).sum().backward()
        #expect(w.grad?.toArray() == [2, 4, 6])
        (w * w).sum().backward()
        #expect(w.grad?.toArray() == [4, 8, 12])
        w.zeroGrad()
        #expect(w.grad == nil)
    }

    @Test("a tensor used twice receives the sum of both paths")
    func diamond() {
        let x = Tensor([0.5, -1], shape: [2], requiresGrad: true)
        let y = x.exp() * x.tanh() + x
        y.sum().backward()
        let expected = x.toArray().map { v -> Float in
            let t = Float(tanh(Double(v)))
            return Float(exp(Double(v))) * t + Float(exp(Double(v))) * (1 - t * t) + 1
        }
        expectClose(x.grad!.toArray(), expected)
    }

    @Test("the graph is released after backward")
    func graphReleased() {
        let w = Tensor([1, 2], shape: [2], requiresGrad: true)
        let hidden = w.exp()
        let loss = hidden.sum()
        loss.backward()
        #expect(loss.node == nil)
        #expect(hidden.node == nil)
    }
}

@Suite("Optimizers and schedules")
struct OptimizerTests {
    @Test("AdamW takes PyTorch's first two steps")
    func adamWSteps() {
        // torch.optim.AdamW([p], lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1) on
        // p = [1, -2], grads [0.5, -0.25] then [0.1, 0.3]: p after step 1 and step 2.
        let p = Tensor([1, -2], shape: [2], requiresGrad: true)
        var optimizer = AdamW(parameters: [p], weightDecay: 0.1)
        p.grad = Tensor([0.5, -0.25], shape: [2])
        optimizer.step(learningRate: 0.1)
        expectClose(p.toArray(), [0.89, -1.88], absolute: 1e-6, "after step 1")
        p.grad = Tensor([0.1, 0.3], shape: [2])
        optimizer.step(learningRate: 0.1)
        expectClose(p.toArray(), [0.80079597, -1.87549448], absolute: 1e-6, "after step 2")
    }

    @Test("AdamW resumed from a saved state continues exactly as if never stopped")
    func adamWResume() {
        func gradient(_ step: Int) -> Tensor {
            Tensor([Float(step) * 0.1 + 0.3, -0.2, Float(step) * -0.05], shape: [3])
        }
        let original = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        var optimizer = AdamW(parameters: [original], weightDecay: 0.05)
        for step in 0..<2 {
            original.grad = gradient(step)
            optimizer.step(learningRate: 0.01)
        }
        let saved = optimizer.state
        let resumed = Tensor(original.toArray(), shape: [3], requiresGrad: true)
        var restored = AdamW(parameters: [resumed], weightDecay: 0.05)
        restored.restore(saved)
        for step in 2..<4 {
            original.grad = gradient(step)
            optimizer.step(learningRate: 0.01)
            resumed.grad = gradient(step)
            restored.step(learningRate: 0.01)
        }
        #expect(resumed.toArray() == original.toArray())
        #expect(restored.stepCount == 4)
    }

    @Test("SGD with momentum follows v ← μv + g, θ ← θ − lr·v")
    func sgdMomentum() {
        let p = Tensor([1, 1], shape: [2], requiresGrad: true)
        var optimizer = SGD(parameters: [p], momentum: 0.9)
        p.grad = Tensor([1, -1], shape: [2])
        optimizer.step(learningRate: 0.1)
        p.grad = Tensor([1, -1], shape: [2])
        optimizer.step(learningRate: 0.1)
        expectClose(p.toArray(), [1 - 0.1 - 0.19, 1 + 0.1 + 0.19], absolute: 1e-6)
    }

    @Test("AdamW fits a linear regression")
    func adamWConverges() {
        var generator = SeededGenerator(seed: 11)
        let x = Tensor.randomNormal([64, 3], generator: &generator)
        let truth = Tensor([2, -1, 0.5], shape: [3, 1])
        let y = withNoGrad { x.matmul(truth) }
        let w = Tensor.zeros([3, 1], requiresGrad: true)
        var optimizer = AdamW(parameters: [w], weightDecay: 0)
        let schedule = LearningRateSchedule(peak: 0.1, warmupSteps: 10, totalSteps: 300)
        for step in 0..<300 {
            optimizer.zeroGrad()
            (x.matmul(w) - y).square().mean().backward()
            optimizer.step(learningRate: schedule.learningRate(at: step))
        }
        expectClose(w.toArray(), [2, -1, 0.5], absolute: 1e-2)
    }

    @Test("clipping scales gradients to the global norm and reports the norm before")
    func clipping() {
        let a = Tensor([0, 0], shape: [2], requiresGrad: true)
        let b = Tensor([0], shape: [1], requiresGrad: true)
        a.grad = Tensor([3, 0], shape: [2])
        b.grad = Tensor([4], shape: [1])
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6)
        expectClose(a.grad!.toArray() + b.grad!.toArray(), [0.6, 0, 0.8], absolute: 1e-6)
        #expect(abs(clipGradientNorm([a, b], maxNorm: 10) - 1) < 1e-5)
        expectClose(a.grad!.toArray(), [0.6, 0], absolute: 1e-6, "a norm under the limit is left alone")
    }

    @Test("warm-up rises linearly, then cosine and linear decay reach the floor")
    func schedules() {
        let cosine = LearningRateSchedule(peak: 1, warmupSteps: 4, totalSteps: 14, decay: .cosine, minimum: 0.1)
        #expect(cosine.learningRate(at: 0) == 0.25)
        #expect(cosine.learningRate(at: 3) == 1)
        #expect(cosine.learningRate(at: 4) == 1)
        #expect(abs(cosine.learningRate(at: 9) - 0.55) < 1e-6)
        #expect(abs(cosine.learningRate(at: 14) - 0.1) < 1e-6)
        let linear = LearningRateSchedule(peak: 2, warmupSteps: 0, totalSteps: 10, decay: .linear)
        #expect(linear.learningRate(at: 5) == 1)
        #expect(linear.learningRate(at: 20) == 0)
    }
}
