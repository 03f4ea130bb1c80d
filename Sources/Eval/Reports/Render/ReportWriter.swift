import Foundation

/// The files a report can be written as.
public enum ReportFileFormat: String, Sendable, Hashable, CaseIterable {
    case html, md, json

    public var fileExtension: String { rawValue }
}

/// Writes a report's files into a folder, each whole or not at all (temporary file + rename).
public enum ReportWriter {
    /// Writes `NAME.html`, `NAME.md` and/or `NAME.json` into `directory` (created if needed) and
    /// returns their paths in the order of `formats`.
    @discardableResult
    public static func write(
        _ report: EvaluationReport, to directory: String, formats: [ReportFileFormat] = ReportFileFormat.allCases,
        name: String = "report"
    ) throws -> [String] {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError("cannot create the report folder \(directory): \(error.localizedDescription)")
        }
        var paths: [String] = []
        for format in EvaluationReport.unique(formats) {
            let data: Data
            switch format {
            case .html: data = Data(HTMLReportRenderer.render(report).utf8)
            case .md: data = Data(MarkdownReportRenderer.render(report).utf8)
            case .json: data = try JSONReportRenderer.render(report)
            }
            let url = folder.appendingPathComponent("\(name).\(format.fileExtension)")
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw ReportError("cannot write \(url.path): \(error.localizedDescription)")
            }
            paths.append(url.path)
        }
        return paths
    }
}

/// A report could not be built or written; the message names the path or run at fault.
public struct ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
