import Foundation

/// A linear layer of the Llama-family decoder that LoRA can adapt, by its short name on the
/// command line (`q`, `gate`, …) and its Hugging Face module name (`q_proj`, `gate_proj`, …).
public enum LoRATarget: String, CaseIterable, Codable, Sendable, Comparable {
    case q, k, v, o, gate, up, down

    /// The `transformers` module name, as PEFT's `target_modules` lists it.
    public var moduleName: String { rawValue + "_proj" }

    /// `model.layers.3.self_attn.q_proj`, `model.layers.3.mlp.down_proj`: the module path inside
    /// a `LlamaForCausalLM` / `Qwen2ForCausalLM`, which PEFT prefixes with `base_model.model.`.
    public func modulePath(layer: Int) -> String {
        switch self {
        case .q, .k, .v, .o: "model.layers.\(layer).self_attn.\(moduleName)"
        case .gate, .up, .down: "model.layers.\(layer).mlp.\(moduleName)"
        }
    }

    /// Accepts the short name (`q`) or the module name (`q_proj`).
    public init?(argument: String) {
        let name = argument.hasSuffix("_proj") ? String(argument.dropLast(5)) : argument
        self.init(rawValue: name)
    }

    /// Parses a comma-separated list (`q,k,v,o`), in the canonical order, without repeats.
    public static func parseList(_ text: String) throws -> [LoRATarget] {
        var targets = Set<LoRATarget>()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let target = LoRATarget(argument: part) else {
                throw LoRAAdapterError(
                    "unknown LoRA target '\(part)'; choose from \(allCases.map(\.rawValue).joined(separator: ","))")
            }
            targets.insert(target)
        }
        guard !targets.isEmpty else { throw LoRAAdapterError("no LoRA target given") }
        return targets.sorted()
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The hyper-parameters of a LoRA adapter, with PEFT's meaning: the update of a frozen weight
/// W (out × in) is `scale · B · A`, A (rank × in), B (out × rank), scale = alpha / rank, or
/// alpha / √rank with rsLoRA (`use_rslora` in PEFT's `LoraConfig`).
public struct LoRAConfig: Codable, Sendable, Equatable {
    public var rank: Int
    public var alpha: Float
    public var dropout: Float
    public var targets: [LoRATarget]
    public var useRSLoRA: Bool
    /// The Hugging Face id the base model came from (`HuggingFaceTB/SmolLM2-135M-Instruct`), written
    /// as PEFT's `base_model_name_or_path` so `PeftModel.from_pretrained` finds it.
    public var baseModel: String?

    public init(
        rank: Int = LoRASettings.defaults.rank, alpha: Float = LoRASettings.defaults.alpha,
        dropout: Float = LoRASettings.defaults.dropout, targets: [LoRATarget] = LoRASettings.defaults.targets,
        useRSLoRA: Bool = LoRASettings.defaults.useRSLoRA, baseModel: String? = nil
    ) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targets = targets
        self.useRSLoRA = useRSLoRA
        self.baseModel = baseModel
    }

    /// An adapter's configuration from the run's settings.
    public init(_ settings: LoRASettings, baseModel: String? = nil) {
        self.init(
            rank: settings.rank, alpha: settings.alpha, dropout: settings.dropout, targets: settings.targets,
            useRSLoRA: settings.useRSLoRA, baseModel: baseModel)
    }

    public var scale: Float { useRSLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank) }
}

/// Why an adapter folder could not be read or written.
public struct LoRAAdapterError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A trained LoRA adapter in memory, and its on-disk form: a PEFT adapter folder
/// (`adapter_config.json` + `adapter_model.safetensors`, keys
/// `base_model.model.<module path>.lora_A.weight` / `.lora_B.weight`), the format
/// `peft.PeftModel.from_pretrained` loads. Training checkpoints, `export --to peft` and
/// `--adapter DIR` all use this one format, so any PEFT LoRA adapter for a supported base works too.
public struct LoRAAdapter: Sendable {
    /// One adapted linear layer: A is rank × inFeatures, B is outFeatures × rank, both row-major fp32.
    public struct Pair: Sendable, Equatable {
        public var a: [Float]
        public var b: [Float]
        public var inFeatures: Int
        public var outFeatures: Int

        public init(a: [Float], b: [Float], inFeatures: Int, outFeatures: Int) {
            self.a = a
            self.b = b
            self.inFeatures = inFeatures
            self.outFeatures = outFeatures
        }
    }

    public var config: LoRAConfig
    /// Keyed by module path (`model.layers.0.self_attn.q_proj`).
    public var modules: [String: Pair]

    public init(config: LoRAConfig, modules: [String: Pair]) {
        self.config = config
        self.modules = modules
    }

    static let configFile = "adapter_config.json"
    static let weightsFile = "adapter_model.safetensors"
    static let keyPrefix = "base_model.model."

    /// Writes the PEFT folder (created if needed); each file is written whole then renamed.
    public func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (path, pair) in modules {
            guard pair.a.count == config.rank * pair.inFeatures, pair.b.count == pair.outFeatures * config.rank else {
                throw LoRAAdapterError("\(path): A/B sizes do not match rank \(config.rank)")
            }
            writer.add(.init(name: Self.keyPrefix + path + ".lora_A.weight", shape: [config.rank, pair.inFeatures], values: pair.a))
            writer.add(.init(name: Self.keyPrefix + path + ".lora_B.weight", shape: [pair.outFeatures, config.rank], values: pair.b))
        }
        try writer.write(to: folder + "/" + Self.weightsFile)
        let json: [String: Any] = [
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": config.rank, "lora_alpha": Double(config.alpha),
            "lora_dropout": Double(config.dropout), "target_modules": config.targets.map(\.moduleName),
            "use_rslora": config.useRSLoRA, "bias": "none", "fan_in_fan_out": false, "inference_mode": true,
            "init_lora_weights": true, "base_model_name_or_path": config.baseModel ?? NSNull(),
            "modules_to_save": NSNull(), "revision": NSNull(),
        ]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: folder + "/" + Self.configFile), options: .atomic)
    }

    /// Reads a PEFT LoRA folder. Errors name the file and the field or tensor at fault.
    public init(folder: String) throws {
        let configPath = folder + "/" + Self.configFile
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw LoRAAdapterError("\(configPath): no such file (is \(folder) a PEFT adapter folder?)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoRAAdapterError("\(configPath): not a JSON object")
        }
        if let type = json["peft_type"] as? String, type != "LORA" {
            throw LoRAAdapterError("\(configPath): peft_type: '\(type)' is not LORA")
        }
        guard let rank = json["r"] as? Int, rank > 0 else { throw LoRAAdapterError("\(configPath): r: missing or not a positive integer") }
        guard let alpha = (json["lora_alpha"] as? NSNumber)?.floatValue else {
            throw LoRAAdapterError("\(configPath): lora_alpha: missing or not a number")
        }
        // Variants whose update is not scale·B·A on every module would load and run wrongly: refuse them.
        if json["use_dora"] as? Bool == true {
            throw LoRAAdapterError("\(configPath): use_dora: DoRA adapters are not supported, only plain LoRA")
        }
        for key in ["rank_pattern", "alpha_pattern"] {
            if let pattern = json[key] as? [String: Any], !pattern.isEmpty {
                throw LoRAAdapterError("\(configPath): \(key): per-module ranks or alphas are not supported")
            }
        }
        if json["fan_in_fan_out"] as? Bool == true {
            throw LoRAAdapterError("\(configPath): fan_in_fan_out: transposed (Conv1D) layers are not Llama layers")
        }
        if json["lora_bias"] as? Bool == true || (json["bias"] as? String).map({ $0 != "none" }) == true {
            throw LoRAAdapterError("\(configPath): bias: adapters that train biases are not supported")
        }
        if let saved = json["modules_to_save"] as? [Any], !saved.isEmpty {
            throw LoRAAdapterError(
                "\(configPath): modules_to_save: \(saved.map { "\($0)" }.joined(separator: ", ")): fully trained extra "
                    + "modules are not supported, only LoRA updates (train without modules_to_save, or merge the "
                    + "adapter with PEFT and use the merged Hugging Face folder as --model)")
        }
        for key in ["target_parameters", "layer_replication", "trainable_token_indices"] {
            if let value = json[key], !(value is NSNull), !((value as? [Any])?.isEmpty ?? false),
                !((value as? [String: Any])?.isEmpty ?? false)
            {
                throw LoRAAdapterError("\(configPath): \(key): not supported, only LoRA on linear projections")
            }
        }
        var targets: [LoRATarget] = []
        // A string is a regular expression or `all-linear` (PEFT matches it against module names): the
        // adapted projections are then read off the weights below.
        let targetsFromWeights = json["target_modules"] is String
        if let names = json["target_modules"] as? [String] {
            for name in names {
                guard let target = LoRATarget(argument: name) else {
                    throw LoRAAdapterError("\(configPath): target_modules: '\(name)' is not a Llama linear layer")
                }
                targets.append(target)
            }
        }
        let config = LoRAConfig(
            rank: rank, alpha: alpha, dropout: (json["lora_dropout"] as? NSNumber)?.floatValue ?? 0,
            targets: targets.sorted(), useRSLoRA: json["use_rslora"] as? Bool ?? false,
            baseModel: json["base_model_name_or_path"] as? String)

        let weightsPath = folder + "/" + Self.weightsFile
        let file = try SafeTensorsFile(path: weightsPath)
        var a: [String: (values: [Float], shape: [Int])] = [:]
        var b: [String: (values: [Float], shape: [Int])] = [:]
        for info in file.tensors {
            var name = info.name
            if name.hasPrefix(Self.keyPrefix) { name.removeFirst(Self.keyPrefix.count) }
            // PEFT ≥ 0.7 may name the adapter (`lora_A.default.weight`) in memory; files drop it.
            name = name.replacingOccurrences(of: ".default.weight", with: ".weight")
            if name.hasSuffix(".lora_A.weight") {
                a[String(name.dropLast(".lora_A.weight".count))] = (try file.floats(info.name), info.shape)
            } else if name.hasSuffix(".lora_B.weight") {
                b[String(name.dropLast(".lora_B.weight".count))] = (try file.floats(info.name), info.shape)
            } else if name.contains("lora_embedding_") {
                throw LoRAAdapterError(
                    "\(weightsPath): tensor \(info.name): LoRA on the embeddings is not supported, only on the "
                        + "q/k/v/o/gate/up/down projections")
            } else {
                throw LoRAAdapterError(
                    "\(weightsPath): tensor \(info.name): not a LoRA A or B weight — a fully trained module "
                        + "(modules_to_save, resized embeddings) or a bias, which this engine does not apply; train "
                        + "with bias \"none\" and no modules_to_save, or merge with PEFT and use the merged folder")
            }
        }
        var modules: [String: Pair] = [:]
        for (path, down) in a {
            guard let up = b[path] else { throw LoRAAdapterError("\(weightsPath): \(path) has lora_A but no lora_B") }
            guard down.shape.count == 2, up.shape.count == 2, down.shape[0] == rank, up.shape[1] == rank else {
                throw LoRAAdapterError(
                    "\(weightsPath): \(path): shapes A \(down.shape), B \(up.shape) do not match r=\(rank)")
            }
            modules[path] = Pair(a: down.values, b: up.values, inFeatures: down.shape[1], outFeatures: up.shape[0])
        }
        if let orphan = b.keys.first(where: { a[$0] == nil }) {
            throw LoRAAdapterError("\(weightsPath): \(orphan) has lora_B but no lora_A")
        }
        var resolved = config
        if targetsFromWeights {
            let names = modules.keys.compactMap { $0.split(separator: ".").last.map(String.init) }
            resolved.targets = Set(names.compactMap { LoRATarget(argument: $0) }).sorted()
        }
        self.init(config: resolved, modules: modules)
    }

    /// The dense update `scale · B · A` (outFeatures × inFeatures, row-major) of one module: what
    /// merging adds to the frozen weight.
    public func delta(for path: String) -> [Float]? {
        guard let pair = modules[path] else { return nil }
        let r = config.rank, scale = config.scale
        var out = [Float](repeating: 0, count: pair.outFeatures * pair.inFeatures)
        for row in 0..<pair.outFeatures {
            for k in 0..<r {
                let coefficient = scale * pair.b[row * r + k]
                if coefficient == 0 { continue }
                let base = k * pair.inFeatures, target = row * pair.inFeatures
                for column in 0..<pair.inFeatures { out[target + column] += coefficient * pair.a[base + column] }
            }
        }
        return out
    }
}
