/// A GGUF model file as a `Checkpoint`: names mapped to Hugging Face's, shapes reversed from ggml
/// order, tensors dequantized, and — for llama-architecture files — q/k rows (and biases) restored
/// from llama.cpp's interleaved order (`LlamaQKPermutation`).
public struct GGUFCheckpoint: Checkpoint {
    public let file: GGUFFile
    public let config: TransformerConfig
    public let tensorNames: [String]
    private let ggufNames: [String: String]
    private let permuted: Bool

    public init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }

    public init(file: GGUFFile) throws {
        self.file = file
        config = try ModelRegistry.config(gguf: file)
        permuted = LlamaQKPermutation.isPermuted(architecture: file.architecture ?? "")
        var names: [String: String] = [:]
        for info in file.tensors {
            guard let name = LlamaTensorNames.huggingFace(info.name) else { continue }
            names[name] = info.name
        }
        ggufNames = names
        tensorNames = names.keys.sorted()
    }

    private func info(_ name: String) throws -> GGUFTensorInfo {
        guard let gguf = ggufNames[name] else {
            throw ModelFileError(.invalidValue, file: file.bytes.name, location: "tensor \(name)", "no such tensor")
        }
        return try file.tensor(gguf)
    }

    public func shape(of name: String) throws -> [Int] { try info(name).shape.reversed() }

    public func floats(_ name: String) throws -> [Float] {
        let info = try info(name)
        let values = try file.dequantize(info.name)
        guard permuted else { return values }
        let heads: Int
        if name.hasSuffix("q_proj.weight") || name.hasSuffix("q_proj.bias") {
            heads = config.headCount
        } else if name.hasSuffix("k_proj.weight") || name.hasSuffix("k_proj.bias") {
            heads = config.kvHeadCount
        } else {
            return values
        }
        let rows = info.shape.count == 1 ? info.shape[0] : info.rowCount
        guard rows == heads * config.headDim else {
            throw ModelFileError(
                .invalidValue, file: file.bytes.name, location: "tensor \(info.name)",
                "has \(rows) rows, expected \(heads) heads × \(config.headDim)")
        }
        return LlamaQKPermutation.toHuggingFace(
            values, heads: heads, columns: info.shape.count == 1 ? 1 : info.rowLength)
    }
}
