#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fused softmax cross-entropy with an ignore index (PyTorch `F.cross_entropy(..., ignore_index=-100)`,
/// reduction "mean" over the targets that are not ignored) — the loss mask of supervised
/// fine-tuning, where prompt tokens carry −100.
///   logits: (…, V), targets: one id per row → loss: scalar
///   dlogits = (softmax(logits) − onehot(target)) / count, zero on ignored rows
/// Only the row log-sum-exp (N floats) is kept for backward; no softmax copy of the logits
/// (B·T·49152 floats for SmolLM2) is ever made. When every target is ignored the loss is 0 with
/// a zero gradient (PyTorch returns NaN), so an all-prompt micro-batch cannot poison training.
extension Tensor {
    public static func crossEntropy(logits: Tensor, targets: [Int32], ignoreIndex: Int32 = -100) -> Tensor {
        let vocab = logits.shape[logits.rank - 1]
        let rows = vocab == 0 ? 0 : logits.count / vocab
        precondition(
            targets.count == rows, "cross-entropy: \(targets.count) targets for \(rows) rows of logits \(logits.shape)")
        for (row, target) in targets.enumerated() where target != ignoreIndex && (target < 0 || Int(target) >= vocab) {
            preconditionFailure(
                "cross-entropy: target \(target) at row \(row) is outside 0..<\(vocab) "
                    + "and not the ignore index \(ignoreIndex)"
            )
        }
        let x = logits.contiguousData()
        let lse = Tensor.empty([rows])
        var rowLoss = [Double](repeating: 0, count: rows)
        let px = Parallel.Pointer(x.data)
        let pl = Parallel.Pointer(lse.data)
        targets.withUnsafeBufferPointer { targetBuffer in
            rowLoss.withUnsafeMutableBufferPointer { lossBuffer in
                let pt = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: targetBuffer.baseAddress!))
                let pr = UnsafeMutableSendablePointer(lossBuffer.baseAddress!)
                Parallel.forRanges(rows, grain: Swift.max(1, 16_384 / Swift.max(vocab, 1))) { range in
                    for row in range {
                        let target = pt.base[row]
                        guard target != ignoreIndex else {
                            pr.base[row] = 0
                            continue
                        }
                        let line = px + row * vocab
                        let peak = VectorMath.maximum(line, count: vocab)
                        let total = VectorMath.expShiftedSum(line, shift: peak, count: vocab)
                        let rowLSE = peak + logf(total)
                        pl[row] = rowLSE
                        pr.base[row] = Double(rowLSE - line[Int(target)])
                    }
                }
            }
        }
        let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
        let loss = counted == 0 ? 0 : rowLoss.reduce(0, +) / Double(counted)
        let out = Tensor.scalar(Float(loss))
        let xs = x.detached()
        return out.recorded("crossEntropy", [logits]) { g in
            let dx = Tensor.empty(xs.shape)
            let factor = counted == 0 ? 0 : g.item() / Float(counted)
            let pd = Parallel.Pointer(dx.data)
            let px = Parallel.Pointer(xs.data)
            let pl = Parallel.Pointer(lse.data)
            targets.withUnsafeBufferPointer { targetBuffer in
                let pt = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: targetBuffer.baseAddress!))
                Parallel.forRanges(rows, grain: Swift.max(1, 16_384 / Swift.max(vocab, 1))) { range in
                    for row in range {
                        let target = pt.base[row]
                        let src = px + row * vocab
                        let dst = pd + row * vocab
                        guard target != ignoreIndex else {
                            dst.update(repeating: 0, count: vocab)
                            continue
                        }
                        let rowLSE = pl[row]
                        let shift = VectorMath.Lanes(repeating: rowLSE)
                        VectorMath.map(
                            0..<vocab, src, dst, { factor * VectorMath.exp($0 - shift) }, { factor * expf($0 - rowLSE) }
                        )
                        dst[Int(target)] -= factor
                    }
                }
            }
            return [dx.reshaped(logits.shape)]
        }
    }
}
