/// Where each stage writes inside `RUN_DIR`: one folder per stage, named after it, so a reader
/// finds every intermediate product (and `clarifycoder train/eval/report` can be pointed at it).
public struct RunLayout: Sendable, Hashable {
    public let root: String

    public init(root: String) { self.root = root }

    public var config: String { root + "/config.yaml" }
    public var ledger: String { root + "/pipeline.json" }
    public var synthesis: String { root + "/synthesize" }
    public var benchmark: String { root + "/benchmark" }
    /// The offline HumanEvalComm-format file the rule-based synthesizer builds from HumanEval.
    public var offlineBenchmarkFile: String { benchmark + "/humanevalcomm.jsonl" }
    public var mixture: String { root + "/mix" }
    public var training: String { root + "/train" }
    /// The best adapter of the training run (PEFT folder).
    public var adapter: String { training + "/adapter" }
    public var evaluation: String { root + "/evaluate" }
    public var report: String { root + "/report" }
}
