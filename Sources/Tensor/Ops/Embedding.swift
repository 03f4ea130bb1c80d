/// Token-embedding lookup with scatter-add backward (PyTorch `F.embedding`).
///   table: (V, D), ids: shape S of token ids → out: (S…, D)
///   dTable[id] += dOut[position] for every position holding `id`
/// The scatter-add splits the D columns across threads, so repeated ids never race.
extension Tensor {
    public static func embedding(_ table: Tensor, ids: [Int32], shape idShape: [Int]) -> Tensor {
        precondition(table.rank == 2, "embedding table must be (vocab, dim), got \(table.shape)")
        precondition(ids.count == idShape.reduce(1, *), "\(ids.count) ids do not fill shape \(idShape)")
        let vocab = table.shape[0]
        let dim = table.shape[1]
        for (position, id) in ids.enumerated() where id < 0 || Int(id) >= vocab {
            preconditionFailure(
                "embedding: token id \(id) at position \(position) is outside the vocabulary 0..<\(vocab)")
        }
        let t = table.contiguousData()
        let out = Tensor.empty(idShape + [dim])
        let pt = Parallel.Pointer(t.data)
        let po = Parallel.Pointer(out.data)
        ids.withUnsafeBufferPointer { idBuffer in
            let pid = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: idBuffer.baseAddress!))
            Parallel.forRanges(ids.count, grain: Swift.max(1, 16_384 / Swift.max(dim, 1))) { range in
                for position in range {
                    (po + position * dim).update(from: pt + Int(pid.base[position]) * dim, count: dim)
                }
            }
        }
        return out.recorded("embedding", [table]) { g in
            let gc = g.contiguousData()
            let dTable = Tensor.zeros([vocab, dim])
            let pg = Parallel.Pointer(gc.data)
            let pd = Parallel.Pointer(dTable.data)
            ids.withUnsafeBufferPointer { idBuffer in
                let pid = UnsafeMutableSendablePointer(UnsafeMutablePointer(mutating: idBuffer.baseAddress!))
                Parallel.forRanges(dim, grain: 16) { columns in
                    for position in 0..<ids.count {
                        let src = pg + position * dim
                        let dst = pd + Int(pid.base[position]) * dim
                        for j in columns { dst[j] += src[j] }
                    }
                }
            }
            return [dTable]
        }
    }
}
