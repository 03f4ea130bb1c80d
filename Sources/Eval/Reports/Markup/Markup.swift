/// Escaping and number formatting shared by the SVG charts and the HTML page.
///
/// Every string that reaches a chart or the page — problem text, model output, run names — goes
/// through `escape`, which makes it safe as element content and inside a double- or single-quoted
/// attribute, in HTML and in XML alike (the same five entities as Python's `html.escape`). The page
/// is written as polyglot HTML, so Foundation's `XMLParser` can check it whole.
public enum Markup {
    /// `&`, `<`, `>`, `"` and `'` as entities; characters XML 1.0 forbids (C0 controls other than
    /// tab, newline and carriage return, lone surrogates cannot occur in a Swift `String`, and the
    /// non-characters U+FFFE/U+FFFF) become U+FFFD, so hostile text never makes a chart unparseable.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros (`12`, `12.5`, `-3.25`), never
    /// `-0` and never exponent notation, so the same chart is always the same bytes.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = Int((value * 100).rounded())
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// An identifier fragment for element ids: ASCII letters, digits and `-`, everything else `-`.
    public static func identifier(_ text: String) -> String {
        let mapped = text.unicodeScalars.map { scalar -> Character in
            let value = scalar.value
            let isAlphanumeric =
                (0x30...0x39).contains(value) || (0x41...0x5A).contains(value)
                || (0x61...0x7A).contains(value)
            return isAlphanumeric ? Character(scalar) : "-"
        }
        let joined = String(mapped)
        return joined.isEmpty ? "x" : joined
    }
}
