import Tensor

/// The trainable side of a LoRA adapter: A and B of every adapted module as autograd leaves,
/// which ``LlamaGraph`` adds to its frozen projections:
///
///   y = x·Wᵀ (+ b) + scale · (dropout(x)·Aᵀ)·Bᵀ      A: (r, in), B: (out, r)
///
/// Initialised as PEFT's `LoraLayer.reset_lora_parameters` with `init_lora_weights=True`: A from
/// `nn.init.kaiming_uniform_(a=√5)` — uniform in ±1/√in, what `nn.Linear` does to its weight —
/// and B zero, so training starts exactly at the base model. Converts to and from the on-disk
/// ``LoRAAdapter`` without changing a bit.
public final class LoRALayers {
    public struct Module {
        public let path: String
        public let a: Tensor
        public let b: Tensor
    }

    public let config: LoRAConfig
    /// Every adapted module in a fixed order: layer by layer, targets in ``LoRATarget`` order.
    public let modules: [Module]
    private let index: [String: Int]

    /// Fresh adapters for every target of every layer of `model`, drawn from `seed`.
    public init(config: LoRAConfig, model: TransformerConfig, seed: UInt64) {
        self.config = config
        var generator = SeededGenerator(seed: seed)
        var modules: [Module] = []
        for layer in 0..<model.layerCount {
            for target in config.targets {
                let (out, inFeatures) = Self.shape(of: target, model)
                let bound = 1 / Float(inFeatures).squareRoot()
                let a = Tensor.randomUniform(
                    [config.rank, inFeatures], in: -bound...bound, generator: &generator, requiresGrad: true)
                let b = Tensor.zeros([out, config.rank], requiresGrad: true)
                modules.append(Module(path: target.modulePath(layer: layer), a: a, b: b))
            }
        }
        self.modules = modules
        index = Dictionary(uniqueKeysWithValues: modules.enumerated().map { ($1.path, $0) })
    }

    /// Trainable tensors holding `adapter`'s weights (for resuming, or continuing from an adapter).
    public init(adapter: LoRAAdapter, model: TransformerConfig) throws {
        config = adapter.config
        var modules: [Module] = []
        for layer in 0..<model.layerCount {
            for target in adapter.config.targets {
                let path = target.modulePath(layer: layer)
                guard let pair = adapter.modules[path] else { throw LoRAAdapterError("adapter has no \(path)") }
                let (out, inFeatures) = Self.shape(of: target, model)
                guard pair.inFeatures == inFeatures, pair.outFeatures == out else {
                    throw LoRAAdapterError(
                        "\(path): adapter is \(pair.outFeatures)×\(pair.inFeatures), the model needs \(out)×\(inFeatures)")
                }
                modules.append(
                    Module(
                        path: path, a: Tensor(pair.a, shape: [config.rank, inFeatures], requiresGrad: true),
                        b: Tensor(pair.b, shape: [out, config.rank], requiresGrad: true)))
            }
        }
        self.modules = modules
        index = Dictionary(uniqueKeysWithValues: modules.enumerated().map { ($1.path, $0) })
    }

    /// (out, in) of a target's weight.
    static func shape(of target: LoRATarget, _ c: TransformerConfig) -> (Int, Int) {
        let (d, q, kv, ff) = (c.hiddenSize, c.headCount * c.headDim, c.kvHeadCount * c.headDim, c.intermediateSize)
        switch target {
        case .q: return (q, d)
        case .k, .v: return (kv, d)
        case .o: return (d, q)
        case .gate, .up: return (ff, d)
        case .down: return (d, ff)
        }
    }

    /// A, B, A, B, … in module order: what the optimizer updates.
    public var parameters: [Tensor] { modules.flatMap { [$0.a, $0.b] } }

    /// Position of a module in ``modules`` (also the salt of its dropout mask).
    public func moduleIndex(_ path: String) -> Int? { index[path] }

    /// The adapter's current values as a ``LoRAAdapter`` (copies).
    public var adapter: LoRAAdapter {
        var pairs: [String: LoRAAdapter.Pair] = [:]
        for module in modules {
            pairs[module.path] = LoRAAdapter.Pair(
                a: module.a.toArray(), b: module.b.toArray(), inFeatures: module.a.shape[1],
                outFeatures: module.b.shape[0])
        }
        return LoRAAdapter(config: config, modules: pairs)
    }

    /// Overwrites every A and B with `adapter`'s values (same modules and shapes).
    public func load(_ adapter: LoRAAdapter) throws {
        for module in modules {
            guard let pair = adapter.modules[module.path], pair.a.count == module.a.count,
                pair.b.count == module.b.count
            else { throw LoRAAdapterError("adapter does not match the trained modules at \(module.path)") }
            pair.a.withUnsafeBufferPointer { module.a.data.update(from: $0.baseAddress!, count: $0.count) }
            pair.b.withUnsafeBufferPointer { module.b.data.update(from: $0.baseAddress!, count: $0.count) }
        }
    }
}
