/// Running a base model with a LoRA adapter attached, unmerged (``LowRankUpdate`` on each adapted
/// projection), and folding an adapter into the weights for export.
///
/// Adapters name modules by their `transformers` path (`model.layers.3.self_attn.q_proj`), in
/// Hugging Face row order. Our weights are in that order whatever the file (GGUF q/k rows are
/// un-permuted at load, ``LlamaQKPermutation``), so a PEFT adapter trained against the Hugging Face
/// checkpoint applies unchanged to the GGUF of the same model.
extension TransformerWeights {
    /// These weights with `adapter`'s updates attached. Every module must name a layer and a
    /// projection of this model with matching shapes; the error names the module at fault.
    public func adapted(by adapter: LoRAAdapter) throws -> TransformerWeights {
        var out = self
        for path in adapter.modules.keys.sorted() {
            let pair = adapter.modules[path]!
            let (layer, target) = try Self.locate(path, layerCount: layers.count)
            let base = out.layers[layer][target]
            guard pair.inFeatures == base.columns, pair.outFeatures == base.rows else {
                throw LoRAAdapterError(
                    "adapter module \(path): A is \(adapter.config.rank)×\(pair.inFeatures) and B "
                        + "\(pair.outFeatures)×\(adapter.config.rank), but the base \(target.moduleName) is "
                        + "\(base.rows)×\(base.columns) (out × in); was the adapter trained for another model?")
            }
            let update = LowRankUpdate(pair: pair, rank: adapter.config.rank, scale: adapter.config.scale)
            out.layers[layer][target] = base.adapted(by: update)
        }
        return out
    }

    /// The weights with every attached update folded in: adapted projections become fp32
    /// W + scale·B·A (dequantized first when quantized); all other weights are shared as they are.
    public func merged() -> TransformerWeights {
        var out = self
        for i in out.layers.indices {
            for target in LoRATarget.allCases where out.layers[i][target].lowRank != nil {
                let matrix = out.layers[i][target]
                out.layers[i][target] = WeightMatrix(
                    float: matrix.mergedFloats(), rows: matrix.rows, columns: matrix.columns)
            }
        }
        return out
    }

    /// Whether any projection carries an unmerged update.
    public var hasLowRankUpdates: Bool {
        layers.contains { layer in LoRATarget.allCases.contains { layer[$0].lowRank != nil } }
    }

    /// (layer, projection) of a module path `model.layers.N.self_attn.q_proj` / `model.layers.N.mlp.up_proj`.
    static func locate(_ path: String, layerCount: Int) throws -> (Int, LoRATarget) {
        let parts = path.split(separator: ".").map(String.init)
        guard parts.count == 5, parts[0] == "model", parts[1] == "layers", let layer = Int(parts[2]),
            let target = LoRATarget(argument: parts[4]), parts[4] == target.moduleName,
            target.modulePath(layer: layer) == path
        else {
            throw LoRAAdapterError(
                "adapter module \(path): not a Llama projection (expected model.layers.N.self_attn.{q,k,v,o}_proj "
                    + "or model.layers.N.mlp.{gate,up,down}_proj)")
        }
        guard layer >= 0 && layer < layerCount else {
            throw LoRAAdapterError(
                "adapter module \(path): the base model has \(layerCount) layers (0..<\(layerCount))")
        }
        return (layer, target)
    }
}

extension TransformerLayerWeights {
    /// The projection that `target` adapts.
    public subscript(target: LoRATarget) -> WeightMatrix {
        get {
            switch target {
            case .q: query
            case .k: key
            case .v: value
            case .o: output
            case .gate: gate
            case .up: up
            case .down: down
            }
        }
        set {
            switch target {
            case .q: query = newValue
            case .k: key = newValue
            case .v: value = newValue
            case .o: output = newValue
            case .gate: gate = newValue
            case .up: up = newValue
            case .down: down = newValue
            }
        }
    }
}

extension LlamaModel {
    /// A model sharing this one's frozen weights with `adapter`'s updates attached.
    public func applying(_ adapter: LoRAAdapter) throws -> LlamaModel {
        LlamaModel(config: config, weights: try weights.adapted(by: adapter))
    }

    /// The same model with its updates folded into fp32 weights (itself when it has none).
    public func merged() -> LlamaModel {
        weights.hasLowRankUpdates ? LlamaModel(config: config, weights: weights.merged()) : self
    }
}

extension TransformerWeights {
    /// The same weights with every low-rank update removed.
    init(detaching weights: TransformerWeights) {
        self = weights
        for i in layers.indices {
            for target in LoRATarget.allCases { layers[i][target] = layers[i][target].adapted(by: nil) }
        }
    }
}
