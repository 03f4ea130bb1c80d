#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scaled dot-product attention with causal masking, grouped-query heads and an optional
/// additive mask (PyTorch `F.scaled_dot_product_attention(..., is_causal=, enable_gqa=True)`).
///
///   q: (B, T, Hq, Dh)   k, v: (B, S, Hkv, Dh) with Hq % Hkv == 0   mask: (T, S) or (B, T, S)
///   out: (B, T, Hq, Dh);  query head h reads kv head h / (Hq / Hkv)
///
/// The (B, T, H, Dh) layout is what a linear projection produces, so no transposes are needed;
/// any strides with a unit last stride are read in place (a slice of a KV cache, a split of a
/// fused QKV). With S > T (decoding after a cache) query t sits at absolute position S − T + t.
///
/// Memory follows FlashAttention's idea: the T×S probabilities are never stored. Forward keeps
/// only the row log-sum-exp (B, Hq, T); backward recomputes P = exp(qkᵀ·scale − lse) one head
/// at a time in a scratch buffer:
///   dV = Pᵀ dO,  dP = dO Vᵀ,  dS = P ⊙ (dP − rowsum(dO ⊙ O)),  dQ = scale·dS K,  dK = scale·dSᵀ Q
/// Heads run in parallel (BLAS single-threaded inside); backward parallelises over kv heads so
/// the query heads of a group accumulate into their shared dK/dV without races.
extension Tensor {
    public static func scaledDotProductAttention(
        query: Tensor, key: Tensor, value: Tensor, causal: Bool, mask: Tensor? = nil, scale: Float? = nil
    ) -> Tensor {
        precondition(query.rank == 4 && key.rank == 4 && value.rank == 4, "attention expects (B, T, H, Dh) tensors")
        let (b, t, hq, dh) = (query.shape[0], query.shape[1], query.shape[2], query.shape[3])
        let (s, hkv) = (key.shape[1], key.shape[2])
        precondition(
            key.shape == [b, s, hkv, dh], "attention key shape \(key.shape) does not fit query \(query.shape)")
        precondition(value.shape == key.shape, "attention value shape \(value.shape) != key shape \(key.shape)")
        precondition(hkv > 0 && hq % hkv == 0, "query heads \(hq) are not a multiple of kv heads \(hkv)")
        precondition(!causal || s >= t, "causal attention needs at least as many keys (\(s)) as queries (\(t))")
        if let mask {
            precondition(
                mask.shape == [t, s] || mask.shape == [b, t, s],
                "attention mask shape \(mask.shape) is neither [T, S] nor [B, T, S]")
        }
        let scale = scale ?? 1 / Float(dh).squareRoot()
        let q = query.unitLastStride()
        let k = key.unitLastStride()
        let v = value.unitLastStride()
        let m = mask?.contiguousData()
        let geometry = AttentionGeometry(
            b: b, t: t, s: s, hq: hq, hkv: hkv, dh: dh, scale: scale, causal: causal,
            q: q.attentionStrides, k: k.attentionStrides, v: v.attentionStrides,
            maskBatchStride: mask.map { $0.rank == 3 ? t * s : 0 })
        let out = Tensor.empty([b, t, hq, dh])
        let lse = Tensor.empty([b, hq, t])
        let pq = Parallel.Pointer(q.data)
        let pk = Parallel.Pointer(k.data)
        let pv = Parallel.Pointer(v.data)
        let po = Parallel.Pointer(out.data)
        let pl = Parallel.Pointer(lse.data)
        let pm = m.map { Parallel.Pointer($0.data) }
        Parallel.forEach(b * hq) { item in
            let batch = item / hq
            let head = item % hq
            let kvHead = head / (hq / hkv)
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: t * s)
            defer { scores.deallocate() }
            geometry.probabilities(
                into: scores, q: pq.base, k: pk.base, mask: pm?.base, batch: batch, head: head, kvHead: kvHead,
                lse: pl + item * t, computeLSE: true)
            // out[b, :, h, :] (T×Dh, ld Hq·Dh) = P (T×S) · v[b, :, kvh, :] (S×Dh)
            BLAS.gemm(
                transA: false, transB: false, m: t, n: dh, k: s, a: scores, lda: s,
                b: pv + geometry.offset(geometry.v, batch, kvHead), ldb: geometry.v.row,
                c: po + (batch * t * hq + head) * dh, ldc: hq * dh)
        }
        let qs = q.detached()
        let ks = k.detached()
        let vs = v.detached()
        let os = out.detached()
        return out.recorded("attention", [query, key, value]) { g in
            let (dq, dk, dv) = geometry.backward(
                q: qs, k: ks, v: vs, out: os, lse: lse, mask: m, dOut: g.contiguousData())
            return [dq, dk, dv]
        }
    }

    /// `self`, or a contiguous copy when its last dimension is strided.
    fileprivate func unitLastStride() -> Tensor {
        strides[rank - 1] == 1 || shape[rank - 1] == 1 ? self : withNoGrad { contiguousCopy() }
    }

    fileprivate var attentionStrides: AttentionGeometry.Strides {
        AttentionGeometry.Strides(batch: strides[0], row: strides[1], head: strides[2])
    }
}

/// Shapes, strides and the per-head kernels of one attention call.
struct AttentionGeometry: Sendable {
    struct Strides: Sendable { let batch: Int, row: Int, head: Int }
    let b: Int, t: Int, s: Int, hq: Int, hkv: Int, dh: Int
    let scale: Float
    let causal: Bool
    let q: Strides, k: Strides, v: Strides
    let maskBatchStride: Int?

    @inline(__always) func offset(_ strides: Strides, _ batch: Int, _ head: Int) -> Int {
        batch * strides.batch + head * strides.head
    }

    /// Fills `scores` (T×S) with softmax probabilities of one (batch, head). With `computeLSE`
    /// it also stores each row's log-sum-exp; otherwise it reads them to rebuild P exactly.
    func probabilities(
        into scores: UnsafeMutablePointer<Float>, q qData: UnsafeMutablePointer<Float>,
        k kData: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>?, batch: Int, head: Int, kvHead: Int,
        lse: UnsafeMutablePointer<Float>, computeLSE: Bool
    ) {
        BLAS.gemm(
            transA: false, transB: true, m: t, n: s, k: dh, alpha: scale,
            a: qData + offset(q, batch, head), lda: q.row, b: kData + offset(k, batch, kvHead), ldb: k.row,
            c: scores, ldc: s)
        let shift = s - t
        for row in 0..<t {
            let line = scores + row * s
            let visible = causal ? row + shift + 1 : s
            if let mask, let maskBatchStride {
                let maskRow = mask + batch * maskBatchStride + row * s
                for j in 0..<visible { line[j] += maskRow[j] }
            }
            if computeLSE {
                let peak = VectorMath.maximum(line, count: visible)
                if peak == -Float.infinity || peak < -1e30 {
                    // Every key masked: the row attends to nothing and contributes nothing.
                    lse[row] = Float.infinity
                } else {
                    lse[row] = peak + logf(VectorMath.expShiftedSum(line, shift: peak, count: visible))
                }
            }
            let rowLSE = lse[row]
            if rowLSE == Float.infinity {
                for j in 0..<visible { line[j] = 0 }
            } else {
                _ = VectorMath.expShiftedSum(line, shift: rowLSE, into: line, count: visible)
            }
            for j in visible..<s { line[j] = 0 }
        }
    }

    func backward(q qs: Tensor, k ks: Tensor, v vs: Tensor, out: Tensor, lse: Tensor, mask: Tensor?, dOut: Tensor)
        -> (Tensor, Tensor, Tensor)
    {
        let dq = Tensor.empty([b, t, hq, dh])
        let dk = Tensor.zeros([b, s, hkv, dh])
        let dv = Tensor.zeros([b, s, hkv, dh])
        // D[b, h, t] = Σ_d dO ⊙ O, the softmax-backward row term.
        let rowDot = Tensor.empty([b, hq, t])
        let pdo = Parallel.Pointer(dOut.data)
        let po = Parallel.Pointer(out.data)
        let pd = Parallel.Pointer(rowDot.data)
        let (b, t, hq, dh) = (self.b, self.t, self.hq, self.dh)
        Parallel.forRanges(b * t * hq, grain: 256) { range in
            for item in range {
                let batch = item / (t * hq)
                let time = (item / hq) % t
                let head = item % hq
                var total: Float = 0
                for d in 0..<dh { total += pdo[item * dh + d] * po[item * dh + d] }
                pd[(batch * hq + head) * t + time] = total
            }
        }
        let pq = Parallel.Pointer(qs.data)
        let pk = Parallel.Pointer(ks.data)
        let pv = Parallel.Pointer(vs.data)
        let pl = Parallel.Pointer(lse.data)
        let pm = mask.map { Parallel.Pointer($0.data) }
        let pdq = Parallel.Pointer(dq.data)
        let pdk = Parallel.Pointer(dk.data)
        let pdv = Parallel.Pointer(dv.data)
        let group = hq / hkv
        let outRow = hq * dh
        let kvRow = hkv * dh
        Parallel.forEach(b * hkv) { item in
            let batch = item / hkv
            let kvHead = item % hkv
            let probs = UnsafeMutablePointer<Float>.allocate(capacity: t * s)
            let dScores = UnsafeMutablePointer<Float>.allocate(capacity: t * s)
            defer {
                probs.deallocate()
                dScores.deallocate()
            }
            let dkHead = pdk + (batch * s * hkv + kvHead) * dh
            let dvHead = pdv + (batch * s * hkv + kvHead) * dh
            for head in (kvHead * group)..<((kvHead + 1) * group) {
                let lseRow = pl + (batch * hq + head) * t
                probabilities(
                    into: probs, q: pq.base, k: pk.base, mask: pm?.base, batch: batch, head: head, kvHead: kvHead,
                    lse: lseRow, computeLSE: false)
                let dOutHead = pdo + (batch * t * hq + head) * dh
                // dV (S×Dh) += Pᵀ (S×T) · dO (T×Dh)
                BLAS.gemm(
                    transA: true, transB: false, m: s, n: dh, k: t, a: probs, lda: s,
                    b: dOutHead, ldb: outRow, beta: 1, c: dvHead, ldc: kvRow)
                // dP (T×S) = dO (T×Dh) · Vᵀ
                BLAS.gemm(
                    transA: false, transB: true, m: t, n: s, k: dh, a: dOutHead, lda: outRow,
                    b: pv + offset(self.v, batch, kvHead), ldb: self.v.row, c: dScores, ldc: s)
                let dRow = pd + (batch * hq + head) * t
                for row in 0..<t {
                    let p = probs + row * s
                    let ds = dScores + row * s
                    let d = dRow[row]
                    for j in 0..<s { ds[j] = p[j] * (ds[j] - d) }
                }
                // dQ (T×Dh) = scale · dS (T×S) · K (S×Dh)
                BLAS.gemm(
                    transA: false, transB: false, m: t, n: dh, k: s, alpha: scale, a: dScores, lda: s,
                    b: pk + offset(self.k, batch, kvHead), ldb: self.k.row,
                    c: pdq + (batch * t * hq + head) * dh, ldc: outRow)
                // dK (S×Dh) += scale · dSᵀ (S×T) · Q (T×Dh)
                BLAS.gemm(
                    transA: true, transB: false, m: s, n: dh, k: t, alpha: scale, a: dScores, lda: s,
                    b: pq + offset(self.q, batch, head), ldb: self.q.row, beta: 1, c: dkHead, ldc: kvRow)
            }
        }
        return (dq, dk, dv)
    }
}
