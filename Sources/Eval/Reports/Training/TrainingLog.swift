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
        }
        return log
    }

    /// Both losses on one chart, training first; empty series are left out.
    public func curve(title: String = "Training loss", logScale: Bool = false) -> TrainingCurve {
        var series: [LineChart.Series] = []
        if !loss.isEmpty { series.append(LineChart.Series(name: "train loss", points: loss)) }
        if !validationLoss.isEmpty { series.append(LineChart.Series(name: "validation loss", points: validationLoss)) }
        return TrainingCurve(title: title, series: series, logScale: logScale)
    }

    private struct Line: Decodable {
        var step: Double?
        var loss: Double?
        var validationLoss: Double?

        enum CodingKeys: String, CodingKey {
            case step, loss
            case validationLoss = "val_loss"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            loss = try container.decodeIfPresent(Double.self, forKey: .loss)
            validationLoss = try container.decodeIfPresent(Double.self, forKey: .validationLoss)
            step = try container.decodeIfPresent(Double.self, forKey: .step)
            if step == nil && (loss != nil || validationLoss != nil) {
                throw DecodingError.keyNotFound(
                    CodingKeys.step,
                    DecodingError.Context(codingPath: [], debugDescription: "a loss line needs its step"))
            }
        }
    }
}
