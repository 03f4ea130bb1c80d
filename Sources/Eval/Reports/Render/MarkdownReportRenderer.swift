/// Renders a report as GitHub-flavoured Markdown: caveats first, then the runs, the headline table
/// with differences from the baseline, the per-category table, training summaries, time per stage,
/// settings and examples of questions asked.
///
/// Text from runs (problem statements, model output, names) cannot break the page: table cells
/// escape `|`, `<`, `>` and `&` and fold newlines; examples sit in fences longer than any run of
/// backticks they contain.
public enum MarkdownReportRenderer {
    public static func render(_ report: EvaluationReport) -> String {
        var out = "# \(inline(report.title))\n\n"
        for note in report.notes { out += inline(note) + "\n\n" }
        for caveat in report.caveats { out += "> **Note:** \(inline(caveat))\n\n" }
        if report.runs.isEmpty { out += "No runs.\n\n" }

        if !report.runs.isEmpty {
            out += "## Targets\n\n" + table(report.targetsTable) + "\n"
            out += "## Runs\n\n" + table(report.runsTable) + "\n"
            out += "## Results\n\n"
            out +=
                "Rates over the modified prompts unless the row says otherwise"
                + (report.runs.count > 1
                    ? "; differences in percentage points (pts) from \(inline(report.runs[0].name))" : "")
                + ".\n\n"
            out += table(report.headlineTable) + "\n"
            if !report.categoriesWithData.isEmpty {
                out += "## Per category\n\n"
                out += "On the original prompts, Communication is the over-asking rate.\n\n"
                out += table(report.perCategoryTable) + "\n"
            }
        }
        if !report.trainingCurves.isEmpty {
            out += "## Training\n\n"
            for line in report.trainingSummaries { out += "- \(inline(line))\n" }
            out += "\n"
            for explanation in report.trainingCurves.compactMap(\.explanation) { out += inline(explanation) + "\n\n" }
        }
        if !report.stages.isEmpty { out += "## Time per stage\n\n" + table(report.stagesTable) + "\n" }
        if !report.settings.isEmpty || report.runs.contains(where: { !$0.settings.isEmpty }) {
            out += "## Settings\n\n"
            if !report.settings.isEmpty { out += table(report.settingsTable) + "\n" }
            if report.runs.contains(where: { !$0.settings.isEmpty }) { out += table(report.runSettingsTable) + "\n" }
        }
        if report.provenance != nil || report.runs.contains(where: { $0.provenance != nil }) {
            out += "## Provenance\n\n" + table(report.provenanceTable) + "\n"
        }
        let withExamples = report.runs.filter { !$0.examples.isEmpty }
        if !withExamples.isEmpty {
            out += "## Examples of questions asked\n\n"
            for run in withExamples {
                out += "### \(inline(run.name))\n\n"
                for (index, example) in run.examples.enumerated() {
                    out += "#### \(index + 1). \(inline(ReportText.heading(example)))\n\n"
                    out += "Prompt:\n\n" + fenced(ReportText.excerpt(example.prompt)) + "\n"
                    out += "Questions:\n\n" + fenced(ReportText.excerpt(example.response)) + "\n"
                    if let answer = example.answer {
                        out += "Evaluator's answer" + (run.evaluator.isApproximate ? " (heuristic)" : "") + ":\n\n"
                        out += fenced(ReportText.excerpt(answer)) + "\n"
                    }
                }
            }
        }
        return out
    }

    /// A pipe table; numeric columns right-aligned.
    public static func table(_ table: ReportTable) -> String {
        guard !table.headers.isEmpty else { return "" }
        var out = "| " + table.headers.map(cell).joined(separator: " | ") + " |\n"
        out +=
            "|"
            + table.headers.indices.map { table.numericColumns.contains($0) ? " ---: " : " --- " }
            .joined(separator: "|") + "|\n"
        for row in table.rows {
            let cells = table.headers.indices.map { $0 < row.count ? cell(row[$0]) : "" }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Text for a table cell: no pipes, no line breaks, no raw HTML.
    static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// Text for running prose: one line, with `&`, `<` and `>` as entities so nothing becomes HTML.
    static func inline(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// A fenced block whose fence is longer than any backtick run inside, so content cannot close it.
    static func fenced(_ text: String) -> String {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = text.hasSuffix("\n") ? text : text + "\n"
        return fence + "text\n" + body + fence + "\n"
    }
}

/// Text helpers shared by the renderers.
enum ReportText {
    /// Examples longer than this are cut, so one huge prompt cannot swamp a report.
    static let excerptLimit = 2_000

    static func excerpt(_ text: String) -> String {
        guard text.count > excerptLimit else { return text }
        return String(text.prefix(excerptLimit)) + "\n… (\(text.count - excerptLimit) more characters)"
    }

    /// `HumanEval/12 · 1a (ambiguous) · graded Good · final code passed`.
    static func heading(_ example: ReportExample) -> String {
        var parts = [example.problemID, example.category.reportLabel]
        if let grade = example.gradeLabel { parts.append("graded \(grade)") }
        if let passed = example.passed { parts.append(passed ? "final code passed" : "final code failed") }
        return parts.joined(separator: " · ")
    }
}
