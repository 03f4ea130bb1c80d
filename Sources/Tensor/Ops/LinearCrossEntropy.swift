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
        let (vocab, dim) = (weight.shape[0], weight.shape[1])
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
        let w = weight.contiguousData()
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
            headLogits(packed.data + start * dim, rows: n, weight: w.data, vocab: vocab, dim: dim, into: scratch.data)
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
        let weightNeedsGrad = weight.requiresGrad
        return out.recorded("linearCrossEntropy", [hidden, weight]) { g in
            let factor = count == 0 ? 0 : g.item() / Float(count)
            let dPacked = Tensor.empty([count, dim])
            let dWeight = weightNeedsGrad ? Tensor.zeros([vocab, dim]) : nil
            for start in stride(from: 0, to: count, by: chunkRows) {
                let n = Swift.min(chunkRows, count - start)
                headLogits(
                    packed.data + start * dim, rows: n, weight: w.data, vocab: vocab, dim: dim, into: scratch.data)
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
                BLAS.gemm(
                    transA: false, transB: false, m: n, n: dim, k: vocab, a: scratch.data, lda: vocab,
                    b: w.data, ldb: dim, c: dPacked.data + start * dim, ldc: dim)
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
            return [dHidden, dWeight]
        }
    }

    /// logits (rows×V) = hidden (rows×D) · Wᵀ, one multi-threaded GEMM.
    private static func headLogits(
        _ hidden: UnsafeMutablePointer<Float>, rows: Int, weight: UnsafeMutablePointer<Float>, vocab: Int, dim: Int,
        into logits: UnsafeMutablePointer<Float>
    ) {
        BLAS.gemm(
            transA: false, transB: true, m: rows, n: vocab, k: dim, a: hidden, lda: dim, b: weight, ldb: dim,
            c: logits, ldc: vocab)
    }
}
