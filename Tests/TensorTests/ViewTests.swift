import Testing

@testable import Tensor

@Suite("Views share storage and route gradients back")
struct ViewTests {
    @Test("transpose, slice and expand are views that read the right elements")
    func viewsReadTheRightElements() {
        let x = Tensor((0..<6).map(Float.init), shape: [2, 3])
        let t = x.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.storage === x.storage)
        #expect(t.toArray() == [0, 3, 1, 4, 2, 5])
        let column = x.sliced(axis: 1, range: 1..<3)
        #expect(column.toArray() == [1, 2, 4, 5])
        let row = Tensor([10, 20, 30], shape: [3]).expanded(to: [2, 3])
        #expect(row.strides == [0, 1])
        #expect(row.toArray() == [10, 20, 30, 10, 20, 30])
    }

    @Test("reshape is a view when strides allow it and a copy when they do not")
    func reshapeViewOrCopy() {
        let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
        let merged = x.reshaped([6, 4])
        #expect(merged.storage === x.storage)
        // Splitting the last dim of a column slice stays a view (fused QKV → heads).
        let slice = Tensor((0..<24).map(Float.init), shape: [2, 12]).sliced(axis: 1, range: 4..<8)
        let heads = slice.reshaped([2, 2, 2])
        #expect(heads.storage === slice.storage)
        #expect(heads.toArray() == [4, 5, 6, 7, 16, 17, 18, 19])
        // Flattening a transpose cannot be a view.
        let flat = x.transposed(1, 2).reshaped([-1])
        #expect(flat.storage !== x.storage)
        #expect(Array(flat.toArray().prefix(4)) == [0, 4, 8, 1])
    }

    @Test("gradients of views land on the source elements")
    func viewGradients() {
        let x = randomTensor([2, 3, 4], seed: 1)
        expectGradientsMatch([x]) { xs in xs[0].transposed(0, 2).reshaped([4, 6]) }
        expectGradientsMatch([x]) { xs in xs[0].sliced(axis: 2, range: 1..<3) * xs[0].sliced(axis: 2, range: 2..<4) }
        expectGradientsMatch([x]) { xs in xs[0].permuted([1, 2, 0]).contiguous() }
        let bias = randomTensor([1, 4], seed: 2)
        expectGradientsMatch([bias]) { xs in
            xs[0].expanded(to: [3, 4]) * Tensor((0..<12).map(Float.init), shape: [3, 4])
        }
    }

    @Test("concatenate and split are inverse and differentiable")
    func concatAndSplit() {
        let a = randomTensor([2, 3], seed: 3)
        let b = randomTensor([2, 2], seed: 4)
        let joined = Tensor.concatenate([a, b], axis: 1)
        #expect(joined.shape == [2, 5])
        let parts = joined.split(axis: 1, sizes: [3, 2])
        #expect(parts[0].toArray() == a.toArray())
        #expect(parts[1].toArray() == b.toArray())
        expectGradientsMatch([a, b]) { xs in Tensor.concatenate([xs[0], xs[1]], axis: 1).square() }
        expectGradientsMatch([a]) { xs in
            let pieces = xs[0].split(axis: 1, sizes: [1, 2])
            return pieces[0] * pieces[1].sum(axis: 1, keepDim: true)
        }
    }

    @Test("fp16 and bf16 bits widen to the same fp32 values as PyTorch")
    func halfPrecisionConversion() {
        // 1.0, -2.0, 65504 (fp16 max), 2^-24 (smallest subnormal)
        let half = Tensor(float16Bits: [0x3C00, 0xC000, 0x7BFF, 0x0001], shape: [4])
        #expect(half.toArray() == [1, -2, 65504, 5.9604645e-08])
        // 1.0, -2.5, 3.140625
        let brain = Tensor(bfloat16Bits: [0x3F80, 0xC020, 0x4049], shape: [3])
        #expect(brain.toArray() == [1, -2.5, 3.140625])
        #expect(HalfPrecision.floatToBFloat16(3.14159) == 0x4049)
    }
}
