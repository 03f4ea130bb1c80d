import Foundation

/// A progress report of the whole pipeline: which stage, how far it is, and the overall ETA.
public struct PipelineProgress: Sendable {
    public enum Event: Sendable, Hashable {
        /// The stage starts (fresh, or `resuming` an interrupted attempt).
        case started(resuming: Bool)
        case advanced
        /// The stage finished earlier with the same fingerprint; its output is reused.
        case reused
        case finished(seconds: Double)
    }

    public var event: Event
    public var stage: String
    public var title: String
    /// 1-based position and the number of stages.
    public var index: Int
    public var count: Int
    /// The stage's own progress, 0…1.
    public var stageFraction: Double
    public var detail: String
    /// Wall seconds since this invocation started.
    public var elapsed: Double
    /// Estimated seconds until the whole pipeline is done.
    public var eta: Double
}

/// The overall ETA: the current stage extrapolated from its own progress once it has some,
/// and the stages still to come from their estimates, scaled by how the estimates of the stages
/// already run in this invocation compared with their real times.
struct ETAEstimator {
    var estimates: [String: Double]
    private var measured: Double = 0
    private var estimatedOfMeasured: Double = 0

    init(estimates: [String: Double]) { self.estimates = estimates }

    /// How far off the estimates have been so far (1 with nothing measured yet), clamped.
    var calibration: Double {
        guard estimatedOfMeasured > 5, measured > 0 else { return 1 }
        return min(5, max(0.2, measured / estimatedOfMeasured))
    }

    /// Stages estimated below this many seconds say nothing about the machine's speed (their time
    /// is mostly fixed costs) and do not calibrate the rest.
    static let calibratingEstimate = 30.0

    mutating func record(stage: String, seconds: Double) {
        guard (estimates[stage] ?? 0) >= Self.calibratingEstimate else { return }
        measured += seconds
        estimatedOfMeasured += estimates[stage] ?? 0
    }

    func eta(current stage: String, fraction: Double, elapsedInStage: Double, remaining: [String]) -> Double {
        let expected = (estimates[stage] ?? 0) * calibration
        let currentLeft: Double
        if fraction >= 0.05, elapsedInStage >= 2 {
            currentLeft = elapsedInStage * (1 - fraction) / fraction
        } else {
            currentLeft = max(0, expected - elapsedInStage)
        }
        return currentLeft + remaining.reduce(0) { $0 + (estimates[$1] ?? 0) * calibration }
    }
}
