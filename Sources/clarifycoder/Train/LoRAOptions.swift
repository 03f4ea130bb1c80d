import ArgumentParser
import LLM

/// The LoRA flags of `train`, parsed into the library's ``LoRASettings`` (whose defaults they show).
struct LoRAOptions: ParsableArguments {
    @Option(name: .customLong("lora-r"), help: "LoRA rank.")
    var loraRank: Int = LoRASettings.defaults.rank

    @Option(help: "LoRA alpha (scale = alpha / r).")
    var loraAlpha: Float = LoRASettings.defaults.alpha

    @Option(help: "Dropout on the LoRA input.")
    var loraDropout: Float = LoRASettings.defaults.dropout

    @Option(help: "Adapted projections: any of q,k,v,o,gate,up,down.")
    var loraTargets: String = LoRASettings.defaults.targets.map(\.rawValue).joined(separator: ",")

    @Flag(help: "rsLoRA: scale by alpha / √r.")
    var rslora = false

    func validate() throws {
        do {
            _ = try LoRATarget.parseList(loraTargets)
        } catch {
            throw ValidationError("--lora-targets: \(error)")
        }
    }

    /// The settings these flags give.
    func settings() throws -> LoRASettings {
        LoRASettings(
            rank: loraRank, alpha: loraAlpha, dropout: loraDropout, targets: try LoRATarget.parseList(loraTargets),
            useRSLoRA: rslora)
    }
}
