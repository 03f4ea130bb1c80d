import ArgumentParser
import ClarifyCore

/// `clarifycoder data path NAME`: where a cached asset is, for scripts.
struct DataPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Print the path of a cached asset (fails, saying what to run, if it is not fetched)."
    )

    @Argument(help: "model (or smollm2), humaneval, qwen2.5-coder-0.5b or qwen2.5-coder-1.5b")
    var asset: Asset

    func run() throws {
        do {
            print(try AssetStore().path(for: asset))
        } catch {
            throw CommandFailure(error)
        }
    }
}
