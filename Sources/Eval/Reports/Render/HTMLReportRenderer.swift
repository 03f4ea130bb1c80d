/// Renders a report as one self-contained HTML page: inline CSS, the SVG charts inline, no script
/// and no external asset, so it can be mailed or attached as a CI artifact and opened anywhere.
///
/// The page is polyglot HTML (void elements self-closed, only the five XML entities), so it parses
/// as XML too; every piece of text from a run goes through `Markup.escape`, so `</script>` or
/// `<img onerror=…>` in a problem statement is shown, never run.
public enum HTMLReportRenderer {
    public static func render(_ report: EvaluationReport) -> String {
        var body = "<h1>\(Markup.escape(report.title))</h1>\n"
        for note in report.notes { body += "<p>\(Markup.escape(note))</p>\n" }
        for caveat in report.caveats {
            body += "<div class=\"caveat\" role=\"note\"><strong>Note:</strong> \(Markup.escape(caveat))</div>\n"
        }
        if report.runs.isEmpty { body += "<p>No runs.</p>\n" }
        if !report.runs.isEmpty {
            body += section("Targets", targets(report))
            var results = figure(ReportCharts.headline(report).svg())
            results +=
                "<p class=\"hint\">Rates over the modified prompts unless the row says otherwise"
                + (report.runs.count > 1
                    ? "; differences in percentage points (pts) from \(Markup.escape(report.runs[0].name))" : "")
                + ".</p>\n"
            results += table(report.headlineTable)
            body += section("Results", results)
            if !report.categoriesWithData.isEmpty {
                var perCategory = figure(ReportCharts.communicationByCategory(report).svg())
                perCategory += "<p class=\"hint\">On the original prompts, Communication is the over-asking rate.</p>\n"
                perCategory += table(report.perCategoryCompactTable)
                body += section("Per category", perCategory)
            }
        }
        if !report.trainingCurves.isEmpty {
            var training = ""
            for (chart, curve) in zip(ReportCharts.training(report), report.trainingCurves) {
                training += figure(chart.svg())
                if let explanation = curve.explanation { training += "<p class=\"hint\">\(Markup.escape(explanation))</p>\n" }
            }
            training +=
                "<ul>\n" + report.trainingSummaries.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
            body += section("Training", training)
        }
        let withExamples = report.runs.filter { !$0.examples.isEmpty }
        if !withExamples.isEmpty {
            var examples = ""
            for run in withExamples {
                examples += "<h3>\(Markup.escape(run.name))</h3>\n"
                for example in run.examples { examples += article(example, run: run) }
            }
            body += section("Examples of questions asked", examples)
        }
        if !report.runs.isEmpty { body += section("Runs", table(report.runsTable)) }
        if !report.stages.isEmpty { body += section("Time per stage", table(report.stagesTable)) }
        if !report.settings.isEmpty || report.runs.contains(where: { !$0.settings.isEmpty }) {
            var settings = ""
            if report.runs.contains(where: { !$0.settings.isEmpty }) {
                settings += folded("Settings of each run", table(report.runSettingsTable))
            }
            if !report.settings.isEmpty {
                settings += folded("Experiment settings (\(report.settings.count))", table(report.settingsTable))
            }
            body += section("Settings", settings)
        }
        if report.provenance != nil || report.runs.contains(where: { $0.provenance != nil }) {
            body += section("Provenance", table(report.provenanceTable))
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>\(Markup.escape(report.title))</title>
            <style>
            \(HTMLReportStyle.css)</style>
            </head>
            <body>
            <main>
            \(body)<footer>Written by <code>clarifycoder report</code>.</footer>
            </main>
            </body>
            </html>

            """
    }

    static func section(_ title: String, _ content: String) -> String {
        "<section>\n<h2>\(Markup.escape(title))</h2>\n\(content)</section>\n"
    }

    /// A chart drawn at 1.3× its own size (its labels are 9–11 px) but never wider than the page.
    static func figure(_ svg: String) -> String {
        var style = ""
        if let range = svg.range(of: #"width="([0-9.]+)""#, options: .regularExpression) {
            let digits = svg[range].dropFirst(7).dropLast()
            if let width = Double(digits) { style = " style=\"width: \(Int((width * 1.3).rounded()))px\"" }
        }
        return "<figure\(style)>\(svg)</figure>\n"
    }

    /// Closed by default: long dumps a reader opens when they need them.
    static func folded(_ title: String, _ content: String) -> String {
        "<details>\n<summary>\(Markup.escape(title))</summary>\n\(content)</details>\n"
    }

    /// One line per target: the verdict first, coloured, then what was required and measured, with n.
    static func targets(_ report: EvaluationReport) -> String {
        var out = "<ul class=\"targets\">\n"
        for target in report.targets {
            let kind = target.verdict == .met ? "met" : target.verdict == .notMet ? "not-met" : "unmeasured"
            out +=
                "<li class=\"\(kind)\"><strong>\(Markup.escape(target.verdict.rawValue))</strong> "
                + Markup.escape(
                    "\(target.name) \(target.requirement): \(ReportFormat.percent(target.value))"
                        + " (n = \(target.n) prompts)") + "</li>\n"
        }
        let judged = report.runs.last.map { Markup.escape($0.name) } ?? ""
        let against = report.runs.count > 1 ? ", Pass@1 against \(Markup.escape(report.runs[0].name))" : ""
        return out + "</ul>\n<p class=\"hint\">Judged on \(judged)\(against). A rate on few prompts is uncertain: "
            + "with n = 100, a 95% interval spans about ±10 points.</p>\n"
    }

    public static func table(_ table: ReportTable) -> String {
        var out = "<div class=\"table\"><table>\n<thead><tr>"
        for (index, header) in table.headers.enumerated() {
            out +=
                "<th scope=\"col\"\(table.numericColumns.contains(index) ? " class=\"num\"" : "")>"
                + "\(Markup.escape(header))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for index in table.headers.indices {
                let text = index < row.count ? row[index] : ""
                if index == 0 {
                    out += "<th scope=\"row\">\(Markup.escape(text))</th>"
                } else {
                    // Only text with a long unbreakable token (a path, a hash) may break anywhere.
                    let kind =
                        table.numericColumns.contains(index)
                        ? " class=\"num\"" : text.split(separator: " ").contains { $0.count > 24 } ? " class=\"long\"" : ""
                    out += "<td\(kind)>\(Markup.escape(text))</td>"
                }
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    static func article(_ example: ReportExample, run: ReportRun) -> String {
        var out = "<article class=\"example\">\n<h4>\(Markup.escape(ReportText.heading(example)))</h4>\n"
        out += "<p class=\"label\">Prompt</p>\n<pre>\(Markup.escape(ReportText.excerpt(example.prompt)))</pre>\n"
        out +=
            "<p class=\"label\">The model's first response (its questions)</p>\n<pre class=\"response\">"
            + "\(Markup.escape(ReportText.excerpt(example.response)))</pre>\n"
        if let answer = example.answer {
            // The heuristic evaluator answers with lines of the original prompt: useful to check, not to read first.
            let pre = "<pre>\(Markup.escape(ReportText.excerpt(answer)))</pre>\n"
            out +=
                run.evaluator.isApproximate
                ? folded("Evaluator's answer (heuristic: lines of the original prompt)", pre)
                : "<p class=\"label\">Evaluator's answer</p>\n" + pre
        }
        return out + "</article>\n"
    }
}

/// The charts a report draws, built from its document.
public enum ReportCharts {
    /// The metrics the targets are about, runs as series (legend labels say "heuristic"); the
    /// table below the chart has every metric.
    public static func headline(_ report: EvaluationReport) -> GroupedBarChart {
        let shown: [ReportMetric] = [.communicationRate, .goodQuestionRate, .passAt1, .overAskingRate, .originalPassAt1]
        let metrics = shown.filter { metric in report.runs.contains { metric.value($0.metrics) != nil } }
        return GroupedBarChart(
            id: "chart-headline", title: "Results",
            categories: metrics.map(\.shortLabel),
            series: report.runs.map { run in
                GroupedBarChart.Series(name: run.columnTitle, values: metrics.map { $0.value(run.metrics) })
            })
    }

    /// Communication by category: the one per-category chart (the table has the other metrics).
    public static func communicationByCategory(_ report: EvaluationReport) -> GroupedBarChart {
        let categories = report.categoriesWithData
        return GroupedBarChart(
            id: "chart-category-communication", title: "Communication by category (original: over-asking)",
            categories: categories.map(\.rawValue),
            series: report.runs.map { run in
                GroupedBarChart.Series(
                    name: run.columnTitle,
                    values: categories.map { run.metrics.perCategory[$0].flatMap(ReportMetric.communicationRate.value) })
            })
    }

    public static func training(_ report: EvaluationReport) -> [LineChart] {
        report.trainingCurves.enumerated().map { index, curve in
            LineChart(id: "chart-training-\(index)", title: curve.title, series: curve.series, logScale: curve.logScale)
        }
    }
}
