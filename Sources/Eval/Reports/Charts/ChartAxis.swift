import Foundation

/// How a chart writes its values: as percentages of a fraction in 0…1, or as plain numbers.
public enum ChartValueFormat: Sendable, Hashable {
    /// A fraction shown as a percentage with one decimal (`0.63` → `63.0%`).
    case percent
    /// A number with this many decimals.
    case number(decimals: Int)

    public func label(_ value: Double) -> String {
        switch self {
        case .percent: return ReportFormat.percent(value)
        case .number(let decimals): return ReportFormat.fixed(value, decimals: decimals)
        }
    }
}

/// Tick positions for chart axes: "nice" steps of 1, 2 or 5 × 10ⁿ (as matplotlib's `MaxNLocator`
/// and d3's `ticks` choose them), and 1-2-5 decades on a logarithmic axis.
enum ChartAxis {
    /// Ticks covering `low…high` with about `count` intervals; the first and last tick enclose the range.
    static func linearTicks(low: Double, high: Double, count: Int = 5) -> [Double] {
        var low = low
        var high = high
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceStep((high - low) / Double(max(count, 1)))
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        return stride(from: first, through: last, by: 1).map { clean($0 * step) }
    }

    /// Ticks at 1, 2 and 5 × 10ⁿ enclosing `low…high` (both positive); only powers of ten when the
    /// range spans more than two decades.
    static func logTicks(low: Double, high: Double) -> [Double] {
        let lowDecade = Int(log10(low).rounded(.down))
        let highDecade = Int(log10(high).rounded(.up))
        let multipliers: [Double] = highDecade - lowDecade > 2 ? [1] : [1, 2, 5]
        var candidates: [Double] = []
        for decade in lowDecade...max(highDecade, lowDecade) {
            for multiplier in multipliers { candidates.append(clean(multiplier * pow(10, Double(decade)))) }
        }
        let below = candidates.last { $0 <= low } ?? candidates.first!
        let above = candidates.first { $0 >= high } ?? candidates.last!
        return candidates.filter { $0 >= below && $0 <= above }
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Removes binary noise (`0.30000000000000004` → `0.3`) so tick labels are stable.
    static func clean(_ value: Double) -> Double {
        Double(String(format: "%.10g", value)) ?? value
    }

    /// A tick label with no more decimals than the ticks need (`0.5`, `2`, `0.01`).
    static func tickLabel(_ value: Double, ticks: [Double]) -> String {
        var decimals = 0
        while decimals < 6
            && ticks.contains(where: {
                abs($0 * pow(10, Double(decimals)) - ($0 * pow(10, Double(decimals))).rounded()) > 1e-6
            })
        {
            decimals += 1
        }
        return ReportFormat.fixed(value, decimals: decimals)
    }
}
