import Foundation

/// A point of a line chart: `x` is usually a training step, `y` a loss.
public struct ChartPoint: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A line chart as a standalone SVG, for training curves: several series (train and validation
/// loss) on shared axes, an optional logarithmic y axis, axis labels, a legend and markers with a
/// `<title>` on series short enough to mark every point (validation losses, typically).
///
/// On a log axis, points with y ≤ 0 cannot be drawn: they are left out and the description says
/// how many. Output is deterministic: the same chart gives the same bytes.
public struct LineChart: Sendable, Hashable {
    public struct Series: Sendable, Hashable {
        public var name: String
        public var points: [ChartPoint]

        public init(name: String, points: [ChartPoint]) {
            self.name = name
            self.points = points
        }
    }

    public var id: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var logScale: Bool
    /// Series with at most this many points get a marker on every point.
    public var markerLimit: Int

    public init(
        id: String, title: String, xLabel: String = "step", yLabel: String = "loss", series: [Series],
        logScale: Bool = false, markerLimit: Int = 40
    ) {
        self.id = Markup.identifier(id)
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.logScale = logScale
        self.markerLimit = markerLimit
    }

    private func drawable(_ point: ChartPoint) -> Bool {
        point.x.isFinite && point.y.isFinite && (!logScale || point.y > 0)
    }

    /// The chart's text alternative: each series' range, first and last value.
    public var summary: String {
        var parts: [String] = []
        for item in series {
            let points = item.points.filter(drawable)
            guard let first = points.first, let last = points.last else {
                parts.append("\(item.name): no points")
                continue
            }
            parts.append(
                "\(item.name): \(points.count) points, \(xLabel) \(ReportFormat.fixed(first.x, decimals: 0))–"
                    + "\(ReportFormat.fixed(last.x, decimals: 0)), \(yLabel) \(value(first.y)) → \(value(last.y)), "
                    + "lowest \(value(points.map(\.y).min()!))")
            let hidden = item.points.count - points.count
            if hidden > 0 { parts.append("\(hidden) points of \(item.name) not drawable and left out") }
        }
        return parts.isEmpty ? "No data." : parts.joined(separator: "; ") + "."
    }

    public func svg() -> String {
        let width: Double = 640
        let left: Double = 64
        let right: Double = 20
        let plotWidth = width - left - right
        let (legendSVG, legendHeight) = ChartStyle.legend(
            names: series.map(\.name), x: left, y: 44, width: plotWidth, marker: .line)
        let plotTop = 44 + legendHeight + 8
        let plotHeight: Double = 220
        let baseline = plotTop + plotHeight
        let height = baseline + 48

        var svg = ChartStyle.open(id: id, width: width, height: height, title: title, description: summary)
        svg +=
            "<text x=\"\(Markup.number(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">"
            + "\(Markup.escape(title))</text>\n"
        svg += legendSVG
        let points = series.flatMap { $0.points.filter(drawable) }
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
            let minY = points.map(\.y).min(), let maxY = points.map(\.y).max()
        else {
            svg +=
                "<text class=\"empty\" x=\"\(Markup.number(left + plotWidth / 2))\" "
                + "y=\"\(Markup.number(plotTop + plotHeight / 2))\" text-anchor=\"middle\" "
                + "fill=\"\(ChartStyle.mutedColor)\">No data</text>\n</svg>\n"
            return svg
        }
        let xTicks = ChartAxis.linearTicks(low: minX, high: maxX, count: 6)
        let yTicks = logScale ? ChartAxis.logTicks(low: minY, high: maxY) : ChartAxis.linearTicks(low: minY, high: maxY)
        let xLow = xTicks.first!
        let xHigh = xTicks.last!
        let yLow = yTicks.first!
        let yHigh = yTicks.last!
        func px(_ x: Double) -> Double { left + (x - xLow) / max(xHigh - xLow, 1e-12) * plotWidth }
        func py(_ y: Double) -> Double {
            let fraction =
                logScale
                ? (log10(y) - log10(yLow)) / max(log10(yHigh) - log10(yLow), 1e-12)
                : (y - yLow) / max(yHigh - yLow, 1e-12)
            return baseline - fraction * plotHeight
        }

        svg += "<g class=\"axis\" font-size=\"10\" fill=\"\(ChartStyle.axisColor)\">\n"
        for tick in yTicks {
            let y = Markup.number(py(tick))
            svg +=
                "<line x1=\"\(Markup.number(left))\" y1=\"\(y)\" x2=\"\(Markup.number(left + plotWidth))\" "
                + "y2=\"\(y)\" stroke=\"\(ChartStyle.gridColor)\"/><text x=\"\(Markup.number(left - 6))\" y=\"\(y)\" "
                + "text-anchor=\"end\" dominant-baseline=\"middle\">"
                + "\(Markup.escape(ChartAxis.tickLabel(tick, ticks: yTicks)))</text>\n"
        }
        for tick in xTicks {
            let x = Markup.number(px(tick))
            svg +=
                "<line x1=\"\(x)\" y1=\"\(Markup.number(baseline))\" x2=\"\(x)\" "
                + "y2=\"\(Markup.number(baseline + 4))\" stroke=\"\(ChartStyle.axisColor)\"/><text x=\"\(x)\" "
                + "y=\"\(Markup.number(baseline + 16))\" text-anchor=\"middle\">"
                + "\(Markup.escape(ChartAxis.tickLabel(tick, ticks: xTicks)))</text>\n"
        }
        svg +=
            "<line x1=\"\(Markup.number(left))\" y1=\"\(Markup.number(baseline))\" "
            + "x2=\"\(Markup.number(left + plotWidth))\" y2=\"\(Markup.number(baseline))\" "
            + "stroke=\"\(ChartStyle.axisColor)\"/>"
            + "<line x1=\"\(Markup.number(left))\" y1=\"\(Markup.number(plotTop))\" x2=\"\(Markup.number(left))\" "
            + "y2=\"\(Markup.number(baseline))\" stroke=\"\(ChartStyle.axisColor)\"/>\n"
        svg +=
            "<text x=\"\(Markup.number(left + plotWidth / 2))\" y=\"\(Markup.number(baseline + 36))\" "
            + "text-anchor=\"middle\" font-size=\"12\">\(Markup.escape(xLabel))</text>\n"
        let yAxisLabel = logScale ? yLabel + " (log scale)" : yLabel
        svg +=
            "<text transform=\"translate(14 \(Markup.number(plotTop + plotHeight / 2))) rotate(-90)\" "
            + "text-anchor=\"middle\" font-size=\"12\">\(Markup.escape(yAxisLabel))</text>\n</g>\n"

        for (index, item) in series.enumerated() {
            let color = ChartStyle.color(index)
            let drawn = item.points.filter(drawable)
            svg += "<g class=\"series\" data-series=\"\(Markup.escape(item.name))\">\n"
            if drawn.count > 1 {
                let path = drawn.map { "\(Markup.number(px($0.x))),\(Markup.number(py($0.y)))" }
                svg +=
                    "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\""
                    + path.joined(separator: " ") + "\"><title>\(Markup.escape(item.name))</title></polyline>\n"
            }
            if drawn.count <= markerLimit {
                for point in drawn {
                    let tip = "\(item.name) at \(xLabel) \(ReportFormat.fixed(point.x, decimals: 0)): \(value(point.y))"
                    svg +=
                        "<circle cx=\"\(Markup.number(px(point.x)))\" cy=\"\(Markup.number(py(point.y)))\" r=\"3\" "
                        + "fill=\"\(color)\"><title>\(Markup.escape(tip))</title></circle>\n"
                }
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    private func value(_ y: Double) -> String { ReportFormat.fixed(y, decimals: abs(y) < 10 ? 4 : 2) }
}
