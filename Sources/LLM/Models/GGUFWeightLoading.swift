/// Loads ``TransformerWeights`` from a GGUF file, with llama.cpp's tensor names
/// (`gguf-py/gguf/constants.py`, `MODEL_TENSORS[LLM_ARCH_LLAMA]`): `token_embd`, `blk.N.attn_norm`,
/// `blk.N.attn_q|k|v|output`, `blk.N.ffn_norm`, `blk.N.ffn_gate|up|down`, `output_norm`, `output`.
///
/// GGUF stores a (rows × columns) PyTorch matrix with ggml shape `[columns, rows]`; the bytes are
/// row-major over PyTorch rows either way, so a matrix maps its rows directly. Llama q/k rows
/// were permuted by the converter; they are put back in Hugging Face order here — for quantized
/// weights by moving whole rows of blocks, which is exact.
extension TransformerWeights {
    public init(gguf file: GGUFFile, config: TransformerConfig, precision: WeightPrecision) throws {
        let name = file.bytes.name
        let permuted = LlamaQKPermutation.isPermuted(architecture: file.architecture ?? config.architecture)

        func matrix(_ tensorName: String, unpermuteHeads heads: Int? = nil) throws -> WeightMatrix {
            let info = try file.tensor(tensorName)
            guard info.shape.count == 2 else {
                throw ModelFileError(
                    .invalidValue, file: name, location: "tensor \(tensorName)",
                    "expected a matrix, shape is \(info.shape)")
            }
            let (rows, columns) = (info.shape[1], info.shape[0])
            let raw = try file.data(of: info)
            let type = info.type!
            if precision != .float32, WeightMatrix.keepsQuantized(type) {
                let integerKernels = precision == .native
                guard let heads, permuted else {
                    return WeightMatrix(
                        quantized: type, bytes: raw.baseAddress!, owner: file.bytes, rows: rows, columns: columns,
                        integerKernels: integerKernels)
                }
                let owned = OwnedBytes(count: raw.count)
                let rowBytes = raw.count / rows
                let order = LlamaQKPermutation.huggingFaceRowSources(rows: rows, heads: heads)
                for (target, source) in order.enumerated() {
                    (owned.pointer + target * rowBytes).copyMemory(
                        from: raw.baseAddress! + source * rowBytes, byteCount: rowBytes)
                }
                return WeightMatrix(
                    quantized: type, bytes: UnsafeRawPointer(owned.pointer), owner: owned, rows: rows, columns: columns,
                    integerKernels: integerKernels)
            }
            var values = try Dequantize.toFloat(type, raw, count: info.elementCount)
            if let heads, permuted {
                values = LlamaQKPermutation.toHuggingFace(values, heads: heads, columns: columns)
            }
            return WeightMatrix(float: values, rows: rows, columns: columns)
        }
        func vector(_ tensorName: String) throws -> [Float] { try file.dequantize(tensorName) }
        func optionalVector(_ tensorName: String) throws -> [Float]? {
            (try? file.tensor(tensorName)) == nil ? nil : try vector(tensorName)
        }

        let embedding = try matrix("token_embd.weight")
        var layers: [TransformerLayerWeights] = []
        for i in 0..<config.layerCount {
            let p = "blk.\(i)."
            layers.append(
                TransformerLayerWeights(
                    attentionNorm: try vector(p + "attn_norm.weight"),
                    query: try matrix(p + "attn_q.weight", unpermuteHeads: config.headCount),
                    key: try matrix(p + "attn_k.weight", unpermuteHeads: config.kvHeadCount),
                    value: try matrix(p + "attn_v.weight"), output: try matrix(p + "attn_output.weight"),
                    queryBias: try optionalVector(p + "attn_q.bias"), keyBias: try optionalVector(p + "attn_k.bias"),
                    valueBias: try optionalVector(p + "attn_v.bias"), mlpNorm: try vector(p + "ffn_norm.weight"),
                    gate: try matrix(p + "ffn_gate.weight"), up: try matrix(p + "ffn_up.weight"),
                    down: try matrix(p + "ffn_down.weight")))
        }
        let tied = (try? file.tensor("output.weight")) == nil
        self.init(
            embedding: embedding, layers: layers, finalNorm: try vector("output_norm.weight"),
            outputProjection: tied ? embedding : try matrix("output.weight"), tied: tied)
        if permuted {
            // Biases (rare in llama files) are permuted like their rows.
            for i in layers.indices {
                if let b = self.layers[i].queryBias {
                    self.layers[i].queryBias = LlamaQKPermutation.toHuggingFace(b, heads: config.headCount, columns: 1)
                }
                if let b = self.layers[i].keyBias {
                    self.layers[i].keyBias = LlamaQKPermutation.toHuggingFace(b, heads: config.kvHeadCount, columns: 1)
                }
            }
        }
        try validate(config, file: name)
    }
}

extension LlamaQKPermutation {
    /// For each Hugging Face row, the GGUF row it comes from (see the type's documentation).
    static func huggingFaceRowSources(rows: Int, heads: Int) -> [Int] {
        let headDim = rows / heads, half = headDim / 2
        var sources = [Int](repeating: 0, count: rows)
        for head in 0..<heads {
            for i in 0..<2 {
                for j in 0..<half { sources[head * headDim + i * half + j] = head * headDim + 2 * j + i }
            }
        }
        return sources
    }
}

/// A heap buffer whose lifetime a ``WeightMatrix`` holds (re-ordered quantized rows).
final class OwnedBytes: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(count: Int) { pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64) }
    deinit { pointer.deallocate() }
}
