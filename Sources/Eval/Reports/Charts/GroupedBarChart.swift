/// A grouped bar chart as a standalone SVG: one group per category, one bar per series (run), a
/// value label on every bar, a y axis with grid lines, a legend, and a `<title>` on every bar so
/// screen readers and tooltips say "tuned · 1a: 63.0%".
///
/// A missing value (a run with no item in that category) draws no bar and a grey "n/a", so an
/// absent category is visibly absent rather than a zero. Output is deterministic: the same chart
/// gives the same bytes.
public struct GroupedBarChart: Sendable, Hashable {
    public struct Series: Sendable, Hashable {
        public var name: String
        /// One value per category, `nil` where the series has no data for it.
        public var values: [Double?]

        public init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    /// Prefix of every element id, unique within a page that holds several charts.
    public var id: String
    public var title: String
    public var categories: [String]
    public var series: [Series]
    public var format: ChartValueFormat
    /// Top of the y axis; default 100% for percentages, a nice number above the data otherwise.
    public var maximum: Double?

    public init(
        id: String, title: String, categories: [String], series: [Series], format: ChartValueFormat = .percent,
        maximum: Double? = nil
    ) {
        self.id = Markup.identifier(id)
        self.title = title
        self.categories = categories
        self.series = series
        self.format = format
        self.maximum = maximum
    }

    /// The chart's text alternative: every value, category by category.
    public var summary: String {
        let groups = categories.indices.map { index in
            let values = series.map { "\($0.name) \(label($0.values[safe: index] ?? nil))" }
            return "\(categories[index]): " + values.joined(separator: ", ")
        }
        return groups.isEmpty ? "No data." : groups.joined(separator: "; ") + "."
    }

    public func svg() -> String {
        let barWidth: Double = series.count <= 3 ? 34 : 24
        let valueFont: Double = series.count <= 3 ? 10 : 8.5
        let groupGap: Double = 22
        let groupWidth = Double(max(series.count, 1)) * (barWidth + 2) - 2 + groupGap
        let left: Double = 52
        let right: Double = 16
        let plotWidth = max(Double(max(categories.count, 1)) * groupWidth, 240)
        let width = left + plotWidth + right
        let (legendSVG, legendHeight) = ChartStyle.legend(
            names: series.map(\.name), x: left, y: 44, width: plotWidth, marker: .square)
        let plotTop = 44 + legendHeight + 8
        let plotHeight: Double = 200
        let labelLines = categories.map { ChartStyle.wrap($0, width: groupWidth - 4, fontSize: 11) }
        let maxLines = Double(labelLines.map(\.count).max() ?? 1)
        let height = plotTop + plotHeight + 10 + maxLines * 13 + 8
        let baseline = plotTop + plotHeight

        let top = axisMaximum()
        let ticks =
            format == .percent
            ? stride(from: 0.0, through: top + 1e-9, by: top / 5).map { ChartAxis.clean($0) }
            : ChartAxis.linearTicks(low: 0, high: top)
        let axisTop = ticks.last ?? top
        func y(_ value: Double) -> Double { baseline - min(max(value, 0), axisTop) / axisTop * plotHeight }

        var svg = ChartStyle.open(id: id, width: width, height: height, title: title, description: summary)
        svg +=
            "<text x=\"\(Markup.number(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">"
            + "\(Markup.escape(title))</text>\n"
        svg += legendSVG
        svg += "<g class=\"axis\" font-size=\"10\" fill=\"\(ChartStyle.axisColor)\">\n"
        for tick in ticks {
            let tickY = Markup.number(y(tick))
            let text =
                format == .percent
                ? ReportFormat.fixed(tick * 100, decimals: 0) + "%" : ChartAxis.tickLabel(tick, ticks: ticks)
            svg +=
                "<line x1=\"\(Markup.number(left))\" y1=\"\(tickY)\" x2=\"\(Markup.number(left + plotWidth))\" "
                + "y2=\"\(tickY)\" stroke=\"\(ChartStyle.gridColor)\"/>"
            svg +=
                "<text x=\"\(Markup.number(left - 6))\" y=\"\(tickY)\" text-anchor=\"end\" "
                + "dominant-baseline=\"middle\">\(Markup.escape(text))</text>\n"
        }
        svg +=
            "<line x1=\"\(Markup.number(left))\" y1=\"\(Markup.number(baseline))\" "
            + "x2=\"\(Markup.number(left + plotWidth))\" y2=\"\(Markup.number(baseline))\" "
            + "stroke=\"\(ChartStyle.axisColor)\"/>\n</g>\n"

        for (seriesIndex, item) in series.enumerated() {
            let color = ChartStyle.color(seriesIndex)
            svg += "<g class=\"series\" data-series=\"\(Markup.escape(item.name))\" fill=\"\(color)\">\n"
            for categoryIndex in categories.indices {
                let x = left + groupGap / 2 + Double(categoryIndex) * groupWidth + Double(seriesIndex) * (barWidth + 2)
                let centre = Markup.number(x + barWidth / 2)
                let name = "\(item.name) · \(categories[categoryIndex]): "
                guard let value = item.values[safe: categoryIndex] ?? nil, value.isFinite else {
                    svg +=
                        "<text class=\"missing\" x=\"\(centre)\" y=\"\(Markup.number(baseline - 4))\" "
                        + "text-anchor=\"middle\" font-size=\"\(Markup.number(valueFont))\" "
                        + "fill=\"\(ChartStyle.mutedColor)\"><title>\(Markup.escape(name + "no data"))</title>"
                        + "n/a</text>\n"
                    continue
                }
                let barTop = y(value)
                svg +=
                    "<rect class=\"bar\" x=\"\(Markup.number(x))\" y=\"\(Markup.number(barTop))\" "
                    + "width=\"\(Markup.number(barWidth))\" height=\"\(Markup.number(baseline - barTop))\">"
                    + "<title>\(Markup.escape(name + label(value)))</title></rect>"
                svg +=
                    "<text class=\"value\" x=\"\(centre)\" y=\"\(Markup.number(barTop - 3))\" text-anchor=\"middle\" "
                    + "font-size=\"\(Markup.number(valueFont))\" fill=\"\(ChartStyle.textColor)\">"
                    + "\(Markup.escape(label(value)))</text>\n"
            }
            svg += "</g>\n"
        }

        svg += "<g class=\"categories\" font-size=\"11\" text-anchor=\"middle\">\n"
        for (index, lines) in labelLines.enumerated() {
            let centre = left + Double(index) * groupWidth + groupWidth / 2
            svg += "<text x=\"\(Markup.number(centre))\" y=\"\(Markup.number(baseline + 16))\">"
            for (lineIndex, line) in lines.enumerated() {
                svg +=
                    "<tspan x=\"\(Markup.number(centre))\" dy=\"\(lineIndex == 0 ? "0" : "13")\">"
                    + "\(Markup.escape(line))</tspan>"
            }
            svg += "</text>\n"
        }
        svg += "</g>\n</svg>\n"
        return svg
    }

    private func label(_ value: Double?) -> String {
        guard let value else { return "no data" }
        return format.label(value)
    }

    private func axisMaximum() -> Double {
        if let maximum, maximum > 0 { return maximum }
        if format == .percent { return 1 }
        let largest = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite).max() ?? 1
        return ChartAxis.linearTicks(low: 0, high: largest > 0 ? largest : 1).last ?? 1
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
