/// Errors of the pipeline, each naming what is at fault (a config file and line, a key, a stage,
/// a run folder) and what to do.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// A bad setting: `place` is `file:line`, a `--set` argument, or a key.
    static func config(_ place: String, _ message: String) -> PipelineError {
        PipelineError("\(place): \(message)")
    }

    static func stage(_ name: String, _ error: any Error) -> PipelineError {
        PipelineError("stage \(name) failed: \(error)")
    }

    static func io(_ path: String, _ detail: Any) -> PipelineError {
        PipelineError("\(path): \(detail)")
    }
}
