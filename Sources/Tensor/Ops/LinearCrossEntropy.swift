#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The language-model head and its loss in one op: cross-entropy of `hidden · weightᵀ` against
/// `targets`, with the logits never materialised in full.
///   hidden: (…, D), weight: (V, D), targets: one id (or the ignore index) per row → scalar
///
/// For SmolLM2 fine-tuning (B=4, T=512, V=49152) the logits alone are 400 MB, and their gradient
/// another 400 MB. Here rows whose target is ignored (the prompt of an SFT example) are dropped
/// before any product is taken, and the remaining rows go through the head `chunkRows` at a time:
/// forward keeps only each row's log-sum-exp; backward recomputes a chunk of logits, turns it into
/// dlogits = (softmax − onehot)/count in place, and takes
///   dHidden[chunk] = dlogits · W,   dW += dlogitsᵀ · hidden[chunk]   (skipped when W is frozen)
/// Peak extra memory is chunkRows × V floats; the price is one extra GEMM (the recompute) per
/// chunk. Same loss and gradients as `crossEntropy(logits: hidden.linear(weight), …)`, which is
/// what the tests check. All targets ignored → loss 0 and zero gradients, as in
/// ``crossEntropy(logits:targets:ignoreIndex:)``.
extension Tensor {
    public static func linearCrossEntropy(
        hidden: Tensor, weight: Tensor, targets: [Int32], ignoreIndex: Int32 = -100, chunkRows: Int = 256
    ) -> Tensor {
        precondition(weight.rank == 2, "linearCrossEntropy: weight must be (vocab, dim), got \(weight.shape)")
        let w = weight.contiguousData()
        let head = DenseFrozenMatrix(w)
        return fusedHeadLoss(
            hidden: hidden, head: head, trainable: weight, targets: targets, ignoreIndex: ignoreIndex,
            chunkRows: chunkRows)
    }

    /// The same loss through a frozen head kept in its owner's form (a quantized output layer): no
    /// fp32 copy of the (V, D) weight, and no weight gradient.
    public static func linearCrossEntropy(
        hidden: Tensor, frozen head: any FrozenMatrix, targets: [Int32], ignoreIndex: Int32 = -100,
        chunkRows: Int = 256
    ) -> Tensor {
        fusedHeadLoss(
            hidden: hidden, head: head, trainable: nil, targets: targets, ignoreIndex: ignoreIndex,
            chunkRows: chunkRows)
    }

    /// The shared body: `head` gives the chunk logits and the hidden gradient; `trainable` (the
    /// fp32 weight behind `head`, when there is one) is recorded as an input and gets dW when it
    /// requires grad.
    private static func fusedHeadLoss(
        hidden: Tensor, head: any FrozenMatrix, trainable weight: Tensor?, targets: [Int32], ignoreIndex: Int32,
        chunkRows: Int
    ) -> Tensor {
        let (vocab, dim) = (head.rows, head.columns)
        precondition(
            hidden.shape.last == dim, "linearCrossEntropy: hidden \(hidden.shape) does not end in weight's dim \(dim)")
        let rows = hidden.count / Swift.max(dim, 1)
        precondition(
            targets.count == rows, "linearCrossEntropy: \(targets.count) targets for \(rows) rows of \(hidden.shape)")
        precondition(chunkRows > 0, "linearCrossEntropy: chunkRows must be positive")
        var kept: [Int] = []
        for (row, target) in targets.enumerated() where target != ignoreIndex {
            precondition(
                target >= 0 && Int(target) < vocab,
                "linearCrossEntropy: target \(target) at row \(row) is outside 0..<\(vocab) "
                    + "and not the ignore index \(ignoreIndex)"
            )
            kept.append(row)
        }
        let count = kept.count
        let h = hidden.contiguousData()
        // The kept rows, packed: (M, D), with their targets.
        let packed = Tensor.empty([count, dim])
        for (index, row) in kept.enumerated() {
            (packed.data + index * dim).update(from: h.data + row * dim, count: dim)
        }
        let keptTargets = kept.map { Int(targets[$0]) }
        let lse = Tensor.empty([count])
        var total: Double = 0
        let scratch = Tensor.empty([Swift.min(chunkRows, Swift.max(count, 1)), vocab])
        for start in stride(from: 0, to: count, by: chunkRows) {
            let n = Swift.min(chunkRows, count - start)
            head.multiply(packed.data + start * dim, count: n, into: scratch.data)
            var losses = [Double](repeating: 0, count: n)
            let ps = Parallel.Pointer(scratch.data)
            let pl = Parallel.Pointer(lse.data)
            losses.withUnsafeMutableBufferPointer { buffer in
                let out = UnsafeMutableSendablePointer(buffer.baseAddress!)
                keptTargets.withUnsafeBufferPointer { targetBuffer in
                    let pt = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: targetBuffer.baseAddress!))
                    Parallel.forRanges(n, grain: Swift.max(1, 16_384 / Swift.max(vocab, 1))) { range in
                        for row in range {
                            let line = ps + row * vocab
                            let peak = VectorMath.maximum(line, count: vocab)
                            let rowLSE = peak + logf(VectorMath.expShiftedSum(line, shift: peak, count: vocab))
                            pl[start + row] = rowLSE
                            out.base[row] = Double(rowLSE - line[pt.base[start + row]])
                        }
                    }
                }
            }
            total += losses.reduce(0, +)
        }
        let out = Tensor.scalar(count == 0 ? 0 : Float(total / Double(count)))
        let hiddenShape = hidden.shape
        let weightNeedsGrad = weight?.requiresGrad == true
        return out.recorded("linearCrossEntropy", [hidden] + (weight.map { [$0] } ?? [])) { g in
            let factor = count == 0 ? 0 : g.item() / Float(count)
            let dPacked = Tensor.empty([count, dim])
            let dWeight = weightNeedsGrad ? Tensor.zeros([vocab, dim]) : nil
            for start in stride(from: 0, to: count, by: chunkRows) {
                let n = Swift.min(chunkRows, count - start)
                head.multiply(packed.data + start * dim, count: n, into: scratch.data)
                let ps = Parallel.Pointer(scratch.data)
                let pl = Parallel.Pointer(lse.data)
                keptTargets.withUnsafeBufferPointer { targetBuffer in
                    let pt = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: targetBuffer.baseAddress!))
                    Parallel.forRanges(n, grain: Swift.max(1, 16_384 / Swift.max(vocab, 1))) { range in
                        for row in range {
                            let line = ps + row * vocab
                            let rowLSE = pl[start + row]
                            let shift = VectorMath.Lanes(repeating: rowLSE)
                            VectorMath.map(
                                0..<vocab, line, line, { factor * VectorMath.exp($0 - shift) },
                                { factor * expf($0 - rowLSE) })
                            line[pt.base[start + row]] -= factor
                        }
                    }
                }
                // dHidden[chunk] (n×D) = dlogits (n×V) · W (V×D)
                head.multiplyTransposed(scratch.data, count: n, into: dPacked.data + start * dim)
                if let dWeight {
                    // dW (V×D) += dlogitsᵀ (V×n) · hidden[chunk] (n×D)
                    BLAS.gemm(
                        transA: true, transB: false, m: vocab, n: dim, k: n, a: scratch.data, lda: vocab,
                        b: packed.data + start * dim, ldb: dim, beta: 1, c: dWeight.data, ldc: dim)
                }
            }
            let dHidden = Tensor.zeros(hiddenShape)
            for (index, row) in kept.enumerated() {
                (dHidden.data + row * dim).update(from: dPacked.data + index * dim, count: dim)
            }
            return weight == nil ? [dHidden] : [dHidden, dWeight]
        }
    }
}
