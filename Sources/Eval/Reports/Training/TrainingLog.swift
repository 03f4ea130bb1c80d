import ClarifyCore
import Foundation
import LLM

/// The loss curves of a training run, read from the trainer's `RUN_DIR/metrics.jsonl`.
///
/// The trainer writes one ``TrainingMetric`` per line (training steps with `loss`, validations with
/// `val_loss`) and draws nothing; every chart of a run — the report's training curve and the run
/// folder's `loss.svg` — is drawn here from those records. Lines of other kinds (no step and no
/// loss: an event, a header) are ignored; a line with a loss but no step, or a loss that is not a
/// number, is an error naming the file, line and field.
public struct TrainingLog: Sendable, Hashable {
    /// Every training and validation record, in file order.
    public var metrics: [TrainingMetric]

    public init(metrics: [TrainingMetric] = []) {
        self.metrics = metrics
    }

    /// Training loss by step, in file order.
    public var loss: [ChartPoint] {
        metrics.compactMap { metric in metric.loss.map { ChartPoint(x: Double(metric.step), y: $0) } }
    }

    /// Validation loss by step, in file order.
    public var validationLoss: [ChartPoint] {
        metrics.compactMap { metric in metric.validationLoss.map { ChartPoint(x: Double(metric.step), y: $0) } }
    }

    /// The decision term (`decision_loss`, `val_decision_loss`): cross-entropy over the first
    /// tokens of each first answer, where the model decides to ask or to code; empty without it.
    public var decisionLoss: [ChartPoint] {
        metrics.compactMap { metric in metric.decisionLoss.map { ChartPoint(x: Double(metric.step), y: $0) } }
    }

    public var validationDecisionLoss: [ChartPoint] {
        metrics.compactMap { metric in
            metric.validationDecisionLoss.map { ChartPoint(x: Double(metric.step), y: $0) }
        }
    }

    public static func read(path: String) throws(JSONLError) -> TrainingLog {
        let reader = try JSONLReader(path: path)
        var log = TrainingLog()
        while let line = try reader.next(Line.self) {
            if let metric = line.metric { log.metrics.append(metric) }
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

    /// Reads `runDirectory/metrics.jsonl` and writes the loss curve beside it as `loss.svg` (whole,
    /// then renamed), the chart the `train` command and the pipeline's train stage leave in a run
    /// folder. Returns the SVG's path.
    @discardableResult
    public static func writeLossCurve(runDirectory: String, title: String) throws -> String {
        let curve = try read(path: runDirectory + "/metrics.jsonl").curve(title: title)
        let path = runDirectory + "/loss.svg"
        let chart = LineChart(id: "loss", title: curve.title, series: curve.series, logScale: curve.logScale)
        try chart.svg().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The loss curve's title for a run: the model's file name and what was trained
    /// ("SmolLM2-135M-Instruct.Q4_1.gguf — LoRA r=16", or "… — full").
    public static func lossCurveTitle(_ parameters: TrainingParameters) -> String {
        let what = parameters.fullFineTune ? "full" : "LoRA r=\(parameters.lora.rank)"
        return "\((parameters.model as NSString).lastPathComponent) — \(what)"
    }

    /// One line: a metric, or nothing for a line of another kind.
    private struct Line: Decodable {
        var metric: TrainingMetric?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: TrainingMetric.CodingKeys.self)
            let hasLoss = container.contains(.loss) || container.contains(.validationLoss)
            guard container.contains(.step) || hasLoss else { return }
            if !container.contains(.step) {
                throw DecodingError.keyNotFound(
                    TrainingMetric.CodingKeys.step,
                    DecodingError.Context(codingPath: [], debugDescription: "a loss line needs its step"))
            }
            metric = try TrainingMetric(from: decoder)
        }
    }
}
