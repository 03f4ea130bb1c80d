import Foundation

/// Rotary position embedding (Su et al.), applied to queries or keys.
///   x: (…, T, H, Dh) → same shape; `positions`: T absolute positions (a KV-cache offset shows
///   up here as positions `past..<past+T`).
/// Frequencies θ_i = base^(−2i/Dh), i < Dh/2, computed in Double like Hugging Face's
/// `inv_freq`. Two pairings of dimensions exist:
/// - ``Layout/rotateHalf``: (i, i + Dh/2) — Hugging Face Llama `rotate_half`, which SmolLM2 uses.
/// - ``Layout/interleaved``: (2i, 2i + 1) — Meta's original Llama and GPT-J.
/// The rotation is orthogonal, so backward is the same rotation by −angle.
public enum RotaryLayout: Sendable {
    case rotateHalf
    case interleaved
}

extension Tensor {
    public func rotaryEmbedding(positions: [Int], base: Double = 10_000, layout: RotaryLayout = .rotateHalf) -> Tensor {
        precondition(rank >= 3, "rotary embedding expects (…, T, H, Dh), got \(shape)")
        let t = shape[rank - 3]
        let heads = shape[rank - 2]
        let dim = shape[rank - 1]
        precondition(dim % 2 == 0, "rotary embedding needs an even head dimension, got \(dim)")
        precondition(positions.count == t, "\(positions.count) positions for \(t) time steps")
        let half = dim / 2
        // cos/sin table: (T, Dh/2)
        let table = Tensor.empty([2, t, half])
        for (row, position) in positions.enumerated() {
            for i in 0..<half {
                let angle = Double(position) * Foundation.pow(base, -2 * Double(i) / Double(dim))
                table.data[row * half + i] = Float(Foundation.cos(angle))
                table.data[(t + row) * half + i] = Float(Foundation.sin(angle))
            }
        }
        let out = Tensor.rotate(
            contiguousData(), table: table, t: t, heads: heads, dim: dim, layout: layout, inverse: false)
        return out.recorded("rope", [self]) { g in
            [
                Tensor.rotate(
                    g.contiguousData(), table: table, t: t, heads: heads, dim: dim, layout: layout, inverse: true)
            ]
        }
    }

    private static func rotate(
        _ x: Tensor, table: Tensor, t: Int, heads: Int, dim: Int, layout: RotaryLayout, inverse: Bool
    ) -> Tensor {
        let out = Tensor.empty(x.shape)
        let half = dim / 2
        let rows = x.count / dim  // (…, T, H) flattened
        let px = Parallel.Pointer(x.data)
        let po = Parallel.Pointer(out.data)
        let pt = Parallel.Pointer(table.data)
        let sign: Float = inverse ? -1 : 1
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / dim)) { range in
            for row in range {
                let time = (row / heads) % t
                let cosines = pt + time * half
                let sines = pt + (t + time) * half
                let src = px + row * dim
                let dst = po + row * dim
                switch layout {
                case .rotateHalf:
                    for i in 0..<half {
                        let c = cosines[i]
                        let s = sign * sines[i]
                        let a = src[i]
                        let b = src[i + half]
                        dst[i] = a * c - b * s
                        dst[i + half] = b * c + a * s
                    }
                case .interleaved:
                    for i in 0..<half {
                        let c = cosines[i]
                        let s = sign * sines[i]
                        let a = src[2 * i]
                        let b = src[2 * i + 1]
                        dst[2 * i] = a * c - b * s
                        dst[2 * i + 1] = b * c + a * s
                    }
                }
            }
        }
        return out
    }
}
