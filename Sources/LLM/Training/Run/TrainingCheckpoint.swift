import Foundation
import Tensor

/// A resumable snapshot of a run, `checkpoints/step-N/`:
///
///   adapter/                  the LoRA adapter (PEFT folder)  — or weights.safetensors (full)
///   optimizer.safetensors     AdamW moments, `<parameter>.exp_avg` / `.exp_avg_sq` (PyTorch's names)
///   state.json                step, data position, optimizer step count, RNG, best/last losses
///
/// Everything random in training is a counter-based function of (seed, step, micro-batch,
/// module) — data order from ``BatchPlan``, dropout masks from the step — so the RNG state is the
/// seed and the step, and the data position is the count of micro-batches consumed. Together with
/// the exact fp32 weights and moments, that makes a resumed run compute the same losses bit for bit.
/// Written to a temporary folder and renamed, so a kill at any moment leaves whole checkpoints only.
struct TrainingCheckpoint {
    struct State: Codable, Equatable {
        var step: Int
        var totalSteps: Int
        /// Micro-batches consumed (the position in the ``BatchPlan`` stream).
        var dataPosition: Int
        var optimizerSteps: Int
        var seed: UInt64
        /// How randomness is derived; a resume with a different scheme is refused.
        var rng: String
        var lastLoss: Double?
        var lastValidationLoss: Double?
        var bestValidationLoss: Double?
        var bestStep: Int?
        /// Tokens trained on up to this step (all processes).
        var tokens: Int

        enum CodingKeys: String, CodingKey {
            case step, seed, rng, tokens
            case totalSteps = "total_steps"
            case dataPosition = "data_position"
            case optimizerSteps = "optimizer_steps"
            case lastLoss = "last_loss"
            case lastValidationLoss = "last_val_loss"
            case bestValidationLoss = "best_val_loss"
            case bestStep = "best_step"
        }
    }

    static let rngScheme = "splitmix64-counter-v1"
    /// Checkpoints kept; older ones are deleted after a new one is written.
    static let kept = 3

    static func name(step: Int) -> String { "step-\(step)" }

    /// Writes `checkpoints/step-N` atomically and prunes old ones.
    static func write(
        to checkpoints: String, state: State, trainable: [(name: String, tensor: Tensor)], optimizer: AdamW,
        lora: LoRALayers?
    ) throws {
        try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
        try RunFolder.replaceFolder(checkpoints + "/" + name(step: state.step)) { folder in
            if let lora {
                try lora.adapter.write(to: folder + "/adapter")
            } else {
                var writer = SafeTensorsWriter(metadata: ["format": "pt"])
                for (name, tensor) in trainable {
                    writer.add(.init(name: name, shape: tensor.shape, values: tensor.toArray()))
                }
                try writer.write(to: folder + "/weights.safetensors")
            }
            var moments = SafeTensorsWriter(metadata: ["format": "pt", "step": "\(optimizer.stepCount)"])
            for ((name, tensor), moment) in zip(trainable, optimizer.state.moments) {
                guard let moment else { continue }
                moments.add(.init(name: name + ".exp_avg", shape: tensor.shape, values: moment.m.toArray()))
                moments.add(.init(name: name + ".exp_avg_sq", shape: tensor.shape, values: moment.v.toArray()))
            }
            try moments.write(to: folder + "/optimizer.safetensors")
            try RunFolder.encoder.encode(state).write(to: URL(fileURLWithPath: folder + "/state.json"))
        }
        for old in steps(in: checkpoints).dropLast(kept) {
            try? FileManager.default.removeItem(atPath: checkpoints + "/" + name(step: old))
        }
    }

    /// Steps of the complete checkpoints in `checkpoints`, ascending.
    static func steps(in checkpoints: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpoints)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("step-"), let step = Int(name.dropFirst(5)),
                FileManager.default.fileExists(atPath: checkpoints + "/" + name + "/state.json")
            else { return nil }
            return step
        }.sorted()
    }

    /// Restores weights and optimizer state from `folder` and returns its state.
    static func read(
        from folder: String, trainable: [(name: String, tensor: Tensor)], optimizer: inout AdamW, lora: LoRALayers?
    ) throws -> State {
        guard let data = FileManager.default.contents(atPath: folder + "/state.json") else {
            throw TrainingError("\(folder)/state.json: missing")
        }
        let state: State
        do {
            state = try JSONDecoder().decode(State.self, from: data)
        } catch {
            throw TrainingError("\(folder)/state.json: \(error)")
        }
        guard state.rng == rngScheme else {
            throw TrainingError("\(folder)/state.json: rng '\(state.rng)' is not \(rngScheme); cannot resume exactly")
        }
        if let lora {
            try lora.load(try LoRAAdapter(folder: folder + "/adapter"))
        } else {
            let file = try SafeTensorsFile(path: folder + "/weights.safetensors")
            for (name, tensor) in trainable {
                let values = try file.floats(name)
                guard values.count == tensor.count else {
                    throw TrainingError("\(folder)/weights.safetensors: \(name) has \(values.count) values, not \(tensor.count)")
                }
                values.withUnsafeBufferPointer { tensor.data.update(from: $0.baseAddress!, count: $0.count) }
            }
        }
        let file = try SafeTensorsFile(path: folder + "/optimizer.safetensors")
        let names = Set(file.tensors.map(\.name))
        var moments: [(m: Tensor, v: Tensor)?] = []
        for (name, tensor) in trainable {
            guard names.contains(name + ".exp_avg") else {
                moments.append(nil)
                continue
            }
            let m = try file.floats(name + ".exp_avg"), v = try file.floats(name + ".exp_avg_sq")
            guard m.count == tensor.count, v.count == tensor.count else {
                throw TrainingError("\(folder)/optimizer.safetensors: moments of \(name) do not match its shape")
            }
            moments.append((Tensor(m, shape: tensor.shape), Tensor(v, shape: tensor.shape)))
        }
        optimizer.restore(AdamW.State(stepCount: state.optimizerSteps, moments: moments))
        return state
    }
}
