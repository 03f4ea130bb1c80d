import ClarifyCore

/// The loss curves of a training run, read from the trainer's `RUN_DIR/metrics.jsonl`.
///
/// The trainer appends one JSON object per line: training lines such as
/// `{"step":10,"loss":1.23,"lr":1e-4,"tokens_per_s":…}` and validation lines holding `"val_loss"`.
/// Other keys and other kinds of line (events, a header) are ignored; a line with a loss but no
/// step, or a loss that is not a number, is an error naming the file, line and field.
public struct TrainingLog: Sendable, Hashable {
    /// Training loss by step, in file order.
    public var loss: [ChartPoint]
    /// Validation loss by step, in file order.
    public var validationLoss: [ChartPoint]
    /// The decision term (`decision_loss`, `val_decision_loss`): cross-entropy over the first
    /// tokens of each first answer, where the model decides to ask or to code; empty without it.
    public var decisionLoss: [ChartPoint] = []
    public var validationDecisionLoss: [ChartPoint] = []

    public init(loss: [ChartPoint] = [], validationLoss: [ChartPoint] = []) {
        self.loss = loss
        self.validationLoss = validationLoss
    }

    public static func read(path: String) throws(JSONLError) -> TrainingLog {
        let reader = try JSONLReader(path: path)
        var log = TrainingLog()
        while let line = try reader.next(Line.self) {
            guard let step = line.step else { continue }
            if let loss = line.loss { log.loss.append(ChartPoint(x: step, y: loss)) }
            if let validation = line.validationLoss { log.validationLoss.append(ChartPoint(x: step, y: validation)) }
            if let decision = line.decisionLoss { log.decisionLoss.append(ChartPoint(x: step, y: decision)) }
            if let decision = line.validationDecisionLoss {
                log.validationDecisionLoss.append(ChartPoint(x: step, y: decision))
            }
        }
        return log
    }

    /// Both losses on one chart, training first; empty series are left out.
    public func curve(title: String = "Training loss", logScale: Bool = false) -> TrainingCurve {
        var series: [LineChart.Series] = []
        if !loss.isEmpty { series.append(LineChart.Series(name: "train loss", points: loss)) }
        if !validationLoss.isEmpty { series.append(LineChart.Series(name: "validation loss", points: validationLoss)) }
        return TrainingCurve(
            title: title, series: series, logScale: logScale,
            explanation: validationLoss.isEmpty
                ? "Train loss: mean cross-entropy (nats) per answer token of each step's batch."
                : "Train loss: mean cross-entropy (nats) per answer token of each step's batch. Validation loss: "
                    + "the same mean over the held-out validation examples (problems held out by id), without "
                    + "dropout; it rising while the train loss falls means overfitting.")
    }

    /// The decision term's curves, train and validation, or `nil` when the run had no such term.
    public func decisionCurve(title: String = "Decision loss (ask-or-code tokens)") -> TrainingCurve? {
        var series: [LineChart.Series] = []
        if !decisionLoss.isEmpty { series.append(LineChart.Series(name: "train decision loss", points: decisionLoss)) }
        if !validationDecisionLoss.isEmpty {
            series.append(LineChart.Series(name: "validation decision loss", points: validationDecisionLoss))
        }
        return series.isEmpty
            ? nil
            : TrainingCurve(
                title: title, series: series,
                explanation: "The second validation loss. Decision loss: cross-entropy over only the first tokens of "
                    + "each first answer, where the model says whether it will ask or write code, so it measures "
                    + "the decision rather than the whole answer. The best adapter is the step with the lowest "
                    + "validation loss + weight × validation decision loss (best_val_loss in the trainer's "
                    + "summary.json), which need not be the step with the lowest validation loss above.")
    }

    private struct Line: Decodable {
        var step: Double?
        var loss: Double?
        var validationLoss: Double?
        var decisionLoss: Double?
        var validationDecisionLoss: Double?

        enum CodingKeys: String, CodingKey {
            case step, loss
            case validationLoss = "val_loss"
            case decisionLoss = "decision_loss"
            case validationDecisionLoss = "val_decision_loss"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            loss = try container.decodeIfPresent(Double.self, forKey: .loss)
            validationLoss = try container.decodeIfPresent(Double.self, forKey: .validationLoss)
            decisionLoss = try container.decodeIfPresent(Double.self, forKey: .decisionLoss)
            validationDecisionLoss = try container.decodeIfPresent(Double.self, forKey: .validationDecisionLoss)
            step = try container.decodeIfPresent(Double.self, forKey: .step)
            if step == nil && (loss != nil || validationLoss != nil) {
                throw DecodingError.keyNotFound(
                    CodingKeys.step,
                    DecodingError.Context(codingPath: [], debugDescription: "a loss line needs its step"))
            }
        }
    }
}
