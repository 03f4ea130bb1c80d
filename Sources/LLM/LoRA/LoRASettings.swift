/// The LoRA hyper-parameters of a fine-tuning run: the one value, with the one set of defaults,
/// that the library (``TrainingParameters/lora``, ``LoRAConfig``), the pipeline config
/// (`train.lora_r`, `train.lora_alpha`, `train.lora_dropout`, `train.lora_targets`) and the CLI
/// (`clarifycoder train --lora-r/--lora-alpha/--lora-dropout/--lora-targets/--rslora`) share.
///
/// The defaults are the paper's recipe (ClarifyCoder, arXiv 2504.16331): r = 16, alpha = 16,
/// dropout 0.05 on the q/k/v/o projections; PEFT's meaning throughout (scale = alpha / r, or
/// alpha / √r with rsLoRA). Keys as in `training.json`: `rank`, `alpha`, `dropout`, `targets`,
/// `use_rslora`.
public struct LoRASettings: Codable, Sendable, Hashable {
    public var rank: Int
    public var alpha: Float
    public var dropout: Float
    public var targets: [LoRATarget]
    public var useRSLoRA: Bool

    public init(
        rank: Int = 16, alpha: Float = 16, dropout: Float = 0.05, targets: [LoRATarget] = [.q, .k, .v, .o],
        useRSLoRA: Bool = false
    ) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targets = targets
        self.useRSLoRA = useRSLoRA
    }

    /// The defaults, for the places that show or compare them (flag help, config defaults).
    public static let defaults = LoRASettings()

    enum CodingKeys: String, CodingKey {
        case rank, alpha, dropout, targets
        case useRSLoRA = "use_rslora"
    }
}
