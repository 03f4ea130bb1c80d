/// The row order of llama q/k projection weights in GGUF files versus Hugging Face checkpoints.
///
/// Hugging Face's Llama applies RoPE in "half" layout: within a head of dimension `h`, element
/// `i` is rotated together with element `i + h/2` (`rotate_half`). llama.cpp's converter
/// (`convert_hf_to_gguf.py`, `LlamaModel.permute`) reorders the output rows of `q_proj` and
/// `k_proj` so that GGUF files use the "interleaved" layout of the original Meta code, where
/// elements `2j` and `2j + 1` are rotated together (`rope_type` NORM in ggml). Per head the
/// converter maps HF row `i·(h/2) + j` (i ∈ {0, 1}, j < h/2) to GGUF row `2j + i`.
///
/// A model can either un-permute the GGUF rows back to HF order and use half-layout RoPE
/// everywhere (what we do, so GGUF and safetensors checkpoints share one code path), or keep
/// GGUF order and use interleaved RoPE. `k_proj` is permuted with the KV head count.
/// Qwen2 GGUF files are not permuted (llama.cpp uses NEOX rope for them).
public enum LlamaQKPermutation {
    /// Reorders the rows of a `(heads·headDim) × columns` row-major matrix from GGUF
    /// (interleaved) order to Hugging Face (half) order.
    public static func toHuggingFace(_ weights: [Float], heads: Int, columns: Int) -> [Float] {
        reorder(weights, heads: heads, columns: columns, toHuggingFace: true)
    }

    /// The converter's permute: Hugging Face row order to GGUF order (used to write GGUF files).
    public static func toGGUF(_ weights: [Float], heads: Int, columns: Int) -> [Float] {
        reorder(weights, heads: heads, columns: columns, toHuggingFace: false)
    }

    /// Whether tensors of this architecture are stored permuted in GGUF files.
    public static func isPermuted(architecture: String) -> Bool {
        ["llama", "mistral", "granite"].contains(architecture)
    }

    static func reorder(_ weights: [Float], heads: Int, columns: Int, toHuggingFace: Bool) -> [Float] {
        precondition(heads > 0 && columns > 0 && weights.count % (heads * columns) == 0, "shape mismatch")
        let rows = weights.count / columns
        let headDim = rows / heads
        precondition(headDim % 2 == 0, "head dimension must be even")
        let half = headDim / 2
        var out = [Float](repeating: 0, count: weights.count)
        weights.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for head in 0..<heads {
                    for i in 0..<2 {
                        for j in 0..<half {
                            let hfRow = head * headDim + i * half + j
                            let ggufRow = head * headDim + 2 * j + i
                            let (from, to) = toHuggingFace ? (ggufRow, hfRow) : (hfRow, ggufRow)
                            for c in 0..<columns { target[to * columns + c] = source[from * columns + c] }
                        }
                    }
                }
            }
        }
        return out
    }
}
