/// Errors of the pipeline, each naming what is at fault (a config file and line, a key, a stage,
/// a run folder) and what to do.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// Whether the settings or flags given are at fault (a bad key or value, a run folder that
    /// holds another run) rather than the work itself: the CLI exits with EX_USAGE (64) and does
    /// not offer `--resume`, which would meet the same settings again.
    public let isUsage: Bool

    public init(_ description: String, isUsage: Bool = false) {
        self.description = description
        self.isUsage = isUsage
    }

    /// A bad setting: `place` is `file:line`, a `--set` argument, or a key.
    static func config(_ place: String, _ message: String) -> PipelineError {
        PipelineError("\(place): \(message)", isUsage: true)
    }

    static func stage(_ name: String, _ error: any Error) -> PipelineError {
        PipelineError("stage \(name) failed: \(error)")
    }

    static func io(_ path: String, _ detail: Any) -> PipelineError {
        PipelineError("\(path): \(detail)")
    }
}
