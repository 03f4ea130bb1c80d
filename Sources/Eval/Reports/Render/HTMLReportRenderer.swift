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
            body += section("Runs", table(report.runsTable))
            var results = "<figure>\(ReportCharts.headline(report).svg())</figure>\n"
            results +=
                "<p class=\"hint\">Rates over the modified prompts unless the row says otherwise"
                + (report.runs.count > 1
                    ? "; differences in percentage points (pts) from \(Markup.escape(report.runs[0].name))" : "")
                + ".</p>\n"
            results += table(report.headlineTable)
            body += section("Results", results)
            if !report.categoriesWithData.isEmpty {
                var perCategory = ReportCharts.perCategory(report).map { "<figure>\($0.svg())</figure>\n" }.joined()
                perCategory += "<p class=\"hint\">On the original prompts, Communication is the over-asking rate.</p>\n"
                perCategory += table(report.perCategoryTable)
                body += section("Per category", perCategory)
            }
        }
        if !report.trainingCurves.isEmpty {
            var training = ReportCharts.training(report).map { "<figure>\($0.svg())</figure>\n" }.joined()
            training +=
                "<ul>\n" + report.trainingSummaries.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
            body += section("Training", training)
        }
        if !report.stages.isEmpty { body += section("Time per stage", table(report.stagesTable)) }
        if !report.settings.isEmpty || report.runs.contains(where: { !$0.settings.isEmpty }) {
            var settings = report.settings.isEmpty ? "" : table(report.settingsTable)
            if report.runs.contains(where: { !$0.settings.isEmpty }) { settings += table(report.runSettingsTable) }
            body += section("Settings", settings)
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
                    out +=
                        "<td\(table.numericColumns.contains(index) ? " class=\"num\"" : "")>\(Markup.escape(text))</td>"
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
            "<p class=\"label\">Questions</p>\n<pre class=\"response\">"
            + "\(Markup.escape(ReportText.excerpt(example.response)))</pre>\n"
        if let answer = example.answer {
            out +=
                "<p class=\"label\">Evaluator's answer\(run.evaluator.isApproximate ? " (heuristic)" : "")</p>\n"
                + "<pre>\(Markup.escape(ReportText.excerpt(answer)))</pre>\n"
        }
        return out + "</article>\n"
    }
}

/// The charts a report draws, built from its document.
public enum ReportCharts {
    /// Every headline metric that some run has, runs as series (legend labels say "heuristic").
    public static func headline(_ report: EvaluationReport) -> GroupedBarChart {
        let metrics = report.headlineMetrics.filter { metric in report.runs.contains { metric.value($0.metrics) != nil }
        }
        return GroupedBarChart(
            id: "chart-headline", title: "Results",
            categories: metrics.map(\.shortLabel),
            series: report.runs.map { run in
                GroupedBarChart.Series(name: run.columnTitle, values: metrics.map { $0.value(run.metrics) })
            })
    }

    /// One chart per per-category metric that some run has, categories with data on the x axis.
    public static func perCategory(_ report: EvaluationReport) -> [GroupedBarChart] {
        let categories = report.categoriesWithData
        return ReportMetric.perCategory.compactMap { metric in
            let series = report.runs.map { run in
                GroupedBarChart.Series(
                    name: run.columnTitle, values: categories.map { run.metrics.perCategory[$0].flatMap(metric.value) })
            }
            guard series.contains(where: { $0.values.contains { $0 != nil } }) else { return nil }
            return GroupedBarChart(
                id: "chart-category-\(metric.rawValue)", title: "\(metric.perCategoryLabel) by category",
                categories: categories.map(\.rawValue), series: series)
        }
    }

    public static func training(_ report: EvaluationReport) -> [LineChart] {
        report.trainingCurves.enumerated().map { index, curve in
            LineChart(id: "chart-training-\(index)", title: curve.title, series: curve.series, logScale: curve.logScale)
        }
    }
}
