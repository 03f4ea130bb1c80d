import Foundation

/// How reports write numbers: one rule for every renderer, so Markdown, HTML and the charts agree.
///
/// Rates are fractions in 0…1 written as percentages with one decimal (`63.0%`); a rate that is
/// not defined for a run (no item it applies to) is an em dash, never `0.0%`. Differences between
/// runs are percentage points with an explicit sign (`+40.0 pts`).
public enum ReportFormat {
    /// The mark for a value that is not defined.
    public static let missing = "—"

    /// `0.63` → `63.0%`; `nil` → `—`.
    public static func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return missing }
        return fixed(fraction * 100, decimals: 1) + "%"
    }

    /// `after − before` in percentage points with a sign: `+40.0 pts`, `-1.2 pts`, `0.0 pts`.
    public static func pointsDelta(_ before: Double?, _ after: Double?) -> String {
        guard let before, let after, before.isFinite, after.isFinite else { return missing }
        let points = fixed((after - before) * 100, decimals: 1)
        let sign = points.hasPrefix("-") || points == "0.0" ? "" : "+"
        return sign + points + " pts"
    }

    /// A number with a fixed count of decimals, in the POSIX locale, never `-0.0`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return missing }
        let text = String(format: "%.\(max(0, decimals))f", value)
        if text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// A duration as people read it: `0.4 s`, `42.0 s`, `3 min 12 s`, `1 h 02 min`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return missing }
        if seconds < 60 { return fixed(seconds, decimals: 1) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(String(format: "%02d", whole % 60)) s" }
        return "\(whole / 3600) h \(String(format: "%02d", (whole % 3600) / 60)) min"
    }

    /// A count with its noun, singular or plural: `1 item`, `164 items`.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }
}
