import ArgumentParser
import ClarifyCore

/// `clarifycoder data path model|humaneval`: where a cached asset is, for scripts.
struct DataPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Print the path of a cached asset (fails, saying what to run, if it is not fetched)."
    )

    @Argument(help: "model or humaneval")
    var asset: Asset

    func run() throws {
        do {
            print(try AssetStore().path(for: asset))
        } catch {
            throw CommandFailure(error)
        }
    }
}
