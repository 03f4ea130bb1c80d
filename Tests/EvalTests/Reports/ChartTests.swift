import Foundation
import Testing

@testable import Eval

@Suite("Report charts")
struct ChartTests {
    let bars = GroupedBarChart(
        id: "bars", title: "Communication by category", categories: ["1a", "1c", "1p"],
        series: [
            GroupedBarChart.Series(name: "base", values: [0.25, nil, 0]),
            GroupedBarChart.Series(name: "tuned", values: [0.6305, 0.5, 1]),
        ])

    @Test("a bar chart is well-formed SVG with a bar and a percentage label for every value")
    func barChart() {
        let svg = bars.svg()
        let parsed = ReportFixtures.parseXML(svg)
        #expect(parsed.error == nil)
        #expect(parsed.elements.first == "svg")
        #expect(parsed.elements.filter { $0 == "rect" }.count == 5 + 2, "five bars and two legend swatches")
        #expect(ReportFixtures.count("class=\"bar\"", in: svg) == 5)
        for label in [">25.0%<", ">0.0%<", ">63.0%<", ">50.0%<", ">100.0%<"] {
            #expect(svg.contains(label), "missing value label \(label)")
        }
        #expect(svg.contains("<title>tuned · 1a: 63.0%</title>"))
        #expect(svg.contains("<title>base · 1c: no data</title>"))
        #expect(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"bars-title bars-desc\""))
        #expect(svg.contains(">100%</text>") && svg.contains(">0%</text>"), "y axis from 0% to 100%")
    }

    @Test("the same chart is the same bytes")
    func deterministic() {
        #expect(bars.svg() == bars.svg())
        let copy = GroupedBarChart(id: "bars", title: bars.title, categories: bars.categories, series: bars.series)
        #expect(copy.svg() == bars.svg())
    }

    @Test("hostile names and titles are escaped and the SVG still parses")
    func escaping() {
        let hostile = "</svg><script>alert(\"x\")</script> & 'q' <b>"
        let chart = GroupedBarChart(
            id: "x\"><script>", title: hostile, categories: [hostile, "ok\u{0}\u{1B}"],
            series: [GroupedBarChart.Series(name: hostile, values: [0.5, 0.1])])
        let svg = chart.svg()
        #expect(ReportFixtures.parseXML(svg).error == nil)
        #expect(!svg.contains("<script"))
        #expect(svg.contains("&lt;/svg&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        #expect(!svg.contains("\u{0}"))
        #expect(svg.contains("id=\"x---script-\""))
    }

    @Test("a line chart draws each series, marks short ones, and labels a log axis")
    func lineChart() {
        let train = (1...100).map { ChartPoint(x: Double($0 * 5), y: 3.0 / Double($0).squareRoot()) }
        let validation = [100.0, 200, 300, 400, 500].map { ChartPoint(x: $0, y: 2.0 - $0 / 1000) }
        let chart = LineChart(
            id: "loss", title: "Training loss",
            series: [
                LineChart.Series(name: "train loss", points: train),
                LineChart.Series(name: "validation loss", points: validation),
            ],
            logScale: true)
        let svg = chart.svg()
        #expect(ReportFixtures.parseXML(svg).error == nil)
        #expect(ReportFixtures.count("<polyline", in: svg) == 2)
        #expect(ReportFixtures.count("<circle", in: svg) == 5, "only the short validation series is marked")
        #expect(svg.contains("loss (log scale)"))
        #expect(svg.contains("<title>validation loss at step 300: 1.7000</title>"))
        #expect(chart.summary.contains("train loss: 100 points, step 5–500, loss 3.0000 → 0.3000"))
    }

    @Test("a log axis leaves out points it cannot draw and says so; no data draws a message")
    func logAxisEdges() {
        let chart = LineChart(
            id: "l", title: "t",
            series: [
                LineChart.Series(
                    name: "loss",
                    points: [
                        ChartPoint(x: 1, y: 0), ChartPoint(x: 2, y: 1),
                        ChartPoint(x: 3, y: .nan), ChartPoint(x: 4, y: 0.5),
                    ])
            ],
            logScale: true)
        let svg = chart.svg()
        #expect(ReportFixtures.parseXML(svg).error == nil)
        #expect(chart.summary.contains("2 points of loss not drawable and left out"))
        #expect(!svg.contains("NaN") && !svg.contains("inf"))
        let empty = LineChart(id: "e", title: "empty", series: [])
        #expect(empty.svg().contains(">No data</text>"))
        #expect(ReportFixtures.parseXML(empty.svg()).error == nil)
    }

    @Test("axis ticks are nice numbers that enclose the data")
    func ticks() {
        #expect(ChartAxis.linearTicks(low: 0, high: 500, count: 6) == [0, 100, 200, 300, 400, 500])
        #expect(ChartAxis.linearTicks(low: 0.31, high: 2.93) == [0, 1, 2, 3])
        #expect(ChartAxis.linearTicks(low: 0.31, high: 1.93) == [0, 0.5, 1, 1.5, 2])
        #expect(ChartAxis.logTicks(low: 0.3, high: 3) == [0.2, 0.5, 1, 2, 5])
        #expect(ChartAxis.logTicks(low: 0.001, high: 10) == [0.001, 0.01, 0.1, 1, 10])
        #expect(ChartAxis.linearTicks(low: 2, high: 2).count >= 2, "a flat series still gets an axis")
    }

    @Test("coordinates are short, stable decimals")
    func numbers() {
        #expect(Markup.number(12) == "12")
        #expect(Markup.number(12.5) == "12.5")
        #expect(Markup.number(-3.254) == "-3.25")
        #expect(Markup.number(0.05) == "0.05")
        #expect(Markup.number(-0.001) == "0")
        #expect(Markup.number(.nan) == "0")
    }
}
