import Foundation

/// The loss curve of a run as a self-contained SVG: training loss per step as a line, validation
/// loss as dots joined by a dashed line, axes labelled with steps and loss.
enum LossCurve {
    static func svg(train: [(Int, Double)], validation: [(Int, Double)], title: String) -> String {
        let (width, height) = (720.0, 400.0)
        let (left, right, top, bottom) = (60.0, 20.0, 30.0, 40.0)
        let points = train + validation
        let finite = points.filter { $0.1.isFinite }
        let maxStep = Double(max(1, finite.map(\.0).max() ?? 1))
        let minStep = Double(min(finite.map(\.0).min() ?? 0, Int(maxStep) - 1))
        var low = finite.map(\.1).min() ?? 0, high = finite.map(\.1).max() ?? 1
        if high - low < 1e-9 { (low, high) = (low - 0.5, high + 0.5) }
        low = max(0, low - 0.05 * (high - low))
        func x(_ step: Int) -> Double { left + (Double(step) - minStep) / (maxStep - minStep) * (width - left - right) }
        func y(_ loss: Double) -> Double { top + (high - loss) / (high - low) * (height - top - bottom) }
        func format(_ v: Double) -> String { String(format: "%.1f", v) }
        func path(_ series: [(Int, Double)]) -> String {
            series.filter { $0.1.isFinite }.map { "\(format(x($0.0))),\(format(y($0.1)))" }.joined(separator: " ")
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(left))" y="18" font-size="14">\(escape(title))</text>
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="black"/>

            """
        for i in 0...4 {
            let loss = low + (high - low) * Double(i) / 4
            svg += "<text x=\"\(format(left - 6))\" y=\"\(format(y(loss) + 4))\" text-anchor=\"end\">"
                + String(format: "%.3g", loss) + "</text>\n"
            let step = Int((minStep + (maxStep - minStep) * Double(i) / 4).rounded())
            svg += "<text x=\"\(format(x(step)))\" y=\"\(format(height - bottom + 16))\" text-anchor=\"middle\">\(step)</text>\n"
        }
        svg += "<text x=\"\(format(width / 2))\" y=\"\(format(height - 6))\" text-anchor=\"middle\">step</text>\n"
        if !train.isEmpty {
            svg += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"\(path(train))\"/>\n"
        }
        if !validation.isEmpty {
            svg += "<polyline fill=\"none\" stroke=\"#d62728\" stroke-dasharray=\"4 3\" points=\"\(path(validation))\"/>\n"
            for (step, loss) in validation where loss.isFinite {
                svg += "<circle cx=\"\(format(x(step)))\" cy=\"\(format(y(loss)))\" r=\"3\" fill=\"#d62728\"/>\n"
            }
        }
        let legendX = width - right - 150
        svg += "<line x1=\"\(legendX)\" y1=\"\(top)\" x2=\"\(legendX + 20)\" y2=\"\(top)\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>"
            + "<text x=\"\(legendX + 26)\" y=\"\(top + 4)\">train loss</text>\n"
        svg += "<line x1=\"\(legendX)\" y1=\"\(top + 18)\" x2=\"\(legendX + 20)\" y2=\"\(top + 18)\" stroke=\"#d62728\" "
            + "stroke-dasharray=\"4 3\"/><text x=\"\(legendX + 26)\" y=\"\(top + 22)\">validation loss</text>\n"
        return svg + "</svg>\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
