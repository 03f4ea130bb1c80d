import ClarifyCore

/// The dialogues a training run would train on, untokenized: the stages of a mixture (or the one
/// chat file) in order and the validation split, resolved and checked exactly as ``SFTTrainer``
/// resolves and checks them (ShareGPT and Alpaca records read as chat messages). What another
/// trainer is handed — the TRL job of `clarifycoder train --backend trl` — so both see the same
/// examples in the same stage order.
public struct TrainingDialogues: Sendable {
    public struct Split: Sendable {
        /// The stage's name from the mixture manifest (`code`, `mixed`; `train` for one chat file),
        /// or `validation`.
        public var name: String
        /// The file it was read from.
        public var file: String
        public var dialogues: [[Message]]
        /// Each dialogue's `metadata[groupBy]` as text, when the parameters group (nil otherwise).
        public var groups: [String?]
    }

    /// In training order.
    public var stages: [Split]
    public var validation: Split?

    /// Reads the files `parameters.data` and `parameters.validation` name; errors locate the bad line.
    public init(_ parameters: TrainingParameters) throws {
        let files = try TrainingData.files(for: parameters)
        func split(_ name: String, _ path: String) throws -> Split {
            let file = try ChatDataFile.load(path: path, groupKey: parameters.groupBy)
            return Split(
                name: name, file: path, dialogues: file.records.map(\.messages), groups: file.records.map(\.group))
        }
        stages = try files.stages.map { try split($0.0, $0.1) }
        validation = try files.validation.map { try split("validation", $0) }
    }
}
