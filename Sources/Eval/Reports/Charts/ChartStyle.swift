/// Colours, fonts and the little text layout the charts need, in one place.
///
/// The palette is Okabe and Ito's, distinguishable with the common colour-vision deficiencies;
/// series keep their colour across every chart of a report because they are coloured by index.
enum ChartStyle {
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    static let fontFamily = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
    static let axisColor = "#555555"
    static let gridColor = "#DDDDDD"
    static let textColor = "#222222"
    static let mutedColor = "#777777"

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// A rough width of `text` in pixels at `fontSize`; charts only need it for layout, not for clipping.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.56
    }

    /// Greedy word wrap into lines no wider than `width` pixels, at most `maxLines` (the last one
    /// ends with `…` when text was cut).
    static func wrap(_ text: String, width: Double, fontSize: Double, maxLines: Int = 3) -> [String] {
        let maxChars = max(4, Int(width / (fontSize * 0.56)))
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count <= maxChars || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] += "…"
        }
        return lines.isEmpty ? [""] : lines
    }

    /// The opening `<svg>` tag with its accessible title and description (`role="img"` with
    /// `aria-labelledby`, the pattern the W3C's SVG accessibility notes recommend).
    static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        let w = Markup.number(width)
        let h = Markup.number(height)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" id="\(id)" viewBox="0 0 \(w) \(h)" \
            width="\(w)" height="\(h)" role="img" aria-labelledby="\(id)-title \(id)-desc" \
            font-family="\(fontFamily)" font-size="12" fill="\(textColor)">
            <title id="\(id)-title">\(Markup.escape(title))</title>
            <desc id="\(id)-desc">\(Markup.escape(description))</desc>

            """
    }

    /// A horizontal legend that wraps onto more rows when it is wider than `width`; returns the
    /// SVG and the height it takes.
    static func legend(names: [String], x: Double, y: Double, width: Double, marker: LegendMarker) -> (String, Double) {
        var svg = "<g class=\"legend\">\n"
        var cursorX = x
        var cursorY = y
        for (index, name) in names.enumerated() {
            let itemWidth = 18 + textWidth(name, fontSize: 12) + 16
            if cursorX > x && cursorX + itemWidth > x + width {
                cursorX = x
                cursorY += 18
            }
            let color = self.color(index)
            switch marker {
            case .square:
                svg +=
                    "<rect x=\"\(Markup.number(cursorX))\" y=\"\(Markup.number(cursorY - 9))\" width=\"12\" "
                    + "height=\"12\" fill=\"\(color)\"/>"
            case .line:
                svg +=
                    "<line x1=\"\(Markup.number(cursorX))\" y1=\"\(Markup.number(cursorY - 3))\" "
                    + "x2=\"\(Markup.number(cursorX + 12))\" y2=\"\(Markup.number(cursorY - 3))\" stroke=\"\(color)\" "
                    + "stroke-width=\"3\"/>"
            }
            svg +=
                "<text x=\"\(Markup.number(cursorX + 18))\" y=\"\(Markup.number(cursorY + 1))\">"
                + "\(Markup.escape(name))</text>\n"
            cursorX += itemWidth
        }
        svg += "</g>\n"
        return (svg, cursorY - y + 18)
    }

    enum LegendMarker { case square, line }
}
