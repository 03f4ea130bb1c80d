/// One line of a training run's `metrics.jsonl`: a training step or a validation.
///
/// The trainer writes these and nothing else about its progress on disk; charts are drawn from
/// them elsewhere (`Eval`'s reports and the CLI's `loss.svg`). Keys are snake_case, so the file reads
/// as before: `{"step":10,"loss":1.23,"lr":1e-4,"tokens":…,"supervised_tokens":…,"tokens_per_s":…}`
/// per step (with `grad_norm` when clipping, `decision_loss` with a decision term) and
/// `{"step":20,"val_loss":…}` per validation (with `val_decision_loss`). Absent values are left out.
public struct TrainingMetric: Codable, Sendable, Hashable {
    /// Optimizer steps done when the line was written (1-based).
    public var step: Int
    /// Mean cross-entropy over the step's supervised tokens (a training line).
    public var loss: Double?
    public var learningRate: Double?
    /// Tokens of the step, padding excluded, and those the loss is computed on.
    public var tokens: Int?
    public var supervisedTokens: Int?
    /// Tokens per second since this run (or resume) started.
    public var tokensPerSecond: Double?
    /// Gradient norm before clipping.
    public var gradientNorm: Double?
    /// Mean cross-entropy over the first answers' opening tokens (with a decision term).
    public var decisionLoss: Double?
    /// Mean cross-entropy over the validation set's supervised tokens (a validation line).
    public var validationLoss: Double?
    public var validationDecisionLoss: Double?

    public init(
        step: Int, loss: Double? = nil, learningRate: Double? = nil, tokens: Int? = nil, supervisedTokens: Int? = nil,
        tokensPerSecond: Double? = nil, gradientNorm: Double? = nil, decisionLoss: Double? = nil,
        validationLoss: Double? = nil, validationDecisionLoss: Double? = nil
    ) {
        self.step = step
        self.loss = loss
        self.learningRate = learningRate
        self.tokens = tokens
        self.supervisedTokens = supervisedTokens
        self.tokensPerSecond = tokensPerSecond
        self.gradientNorm = gradientNorm
        self.decisionLoss = decisionLoss
        self.validationLoss = validationLoss
        self.validationDecisionLoss = validationDecisionLoss
    }

    /// A validation line holds `val_loss`; every other line is a training step.
    public var isValidation: Bool { validationLoss != nil }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case step, loss, tokens
        case learningRate = "lr"
        case supervisedTokens = "supervised_tokens"
        case tokensPerSecond = "tokens_per_s"
        case gradientNorm = "grad_norm"
        case decisionLoss = "decision_loss"
        case validationLoss = "val_loss"
        case validationDecisionLoss = "val_decision_loss"
    }
}
