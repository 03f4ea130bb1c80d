import Foundation

/// One record of a dataset file: a problem, or a chat dialogue.
public enum DatasetRecord: Sendable, Hashable {
    case problem(Problem)
    case dialogue(Dialogue)
}

/// A record with the line it came from, so later stages (conversion) can locate their errors.
public struct DatasetItem: Sendable, Hashable {
    public var line: Int
    public var record: DatasetRecord
}

/// Streams any supported dataset file as ``DatasetRecord``s in bounded memory.
public final class DatasetReader {
    public let path: String
    public let format: DatasetFormat
    private let reader: JSONLReader

    /// Opens `path`; `format` `nil` detects it from the first record's fields.
    public init(path: String, format: DatasetFormat? = nil, options: JSONLReadOptions = JSONLReadOptions())
        throws(JSONLError)
    {
        self.path = path
        if let format {
            self.format = format
        } else {
            self.format = try DatasetFormat.detect(path: path)
        }
        reader = try JSONLReader(path: path, options: options)
    }

    /// What the underlying JSONL reader saw so far (records, blank and skipped lines, errors).
    public var stats: JSONLStats { reader.stats }

    public func next() throws(JSONLError) -> DatasetItem? {
        let format = self.format
        return try reader.next { line, decoder in
            let record: DatasetRecord
            switch format {
            case .humaneval: record = .problem(try decoder.decode(HumanEvalRecord.self, from: line.bytes).problem)
            case .humanevalcomm:
                var raw = try decoder.decode(HumanEvalCommRecord.self, from: line.bytes)
                if raw.hasNonStringTestValues { try raw.restoreNumberText(fromLine: line.bytes) }
                record = .problem(raw.problem)
            case .mbpp: record = .problem(try decoder.decode(MBPPRecord.self, from: line.bytes).problem)
            case .apps: record = .problem(try decoder.decode(APPSRecord.self, from: line.bytes).problem)
            case .chat, .sharegpt, .alpaca: record = .dialogue(try format.decodeDialogue(line.bytes, decoder: decoder)!)
            case .problem: record = .problem(try decoder.decode(Problem.self, from: line.bytes))
            }
            return DatasetItem(line: line.number, record: record)
        }
    }

    /// Reads every problem of a file (an error for chat files, which hold none).
    public static func loadProblems(
        path: String, format: DatasetFormat? = nil, options: JSONLReadOptions = JSONLReadOptions()
    ) throws(JSONLError) -> (problems: [Problem], stats: JSONLStats) {
        let reader = try DatasetReader(path: path, format: format, options: options)
        guard reader.format.holdsProblems else {
            throw JSONLError(
                file: path, reason: .invalidValue("this is a \(reader.format.rawValue) file; it holds dialogues, not problems"))
        }
        var problems: [Problem] = []
        while let item = try reader.next() {
            if case .problem(let problem) = item.record { problems.append(problem) }
        }
        return (problems, reader.stats)
    }

    /// Reads every dialogue of a chat, ShareGPT or Alpaca file (`format` `nil` detects which).
    public static func loadDialogues(
        path: String, format: DatasetFormat? = .chat, options: JSONLReadOptions = JSONLReadOptions()
    ) throws(JSONLError) -> (dialogues: [Dialogue], stats: JSONLStats) {
        let reader = try DatasetReader(path: path, format: format, options: options)
        guard reader.format.holdsDialogues else {
            throw JSONLError(
                file: path, reason: .invalidValue("this is a \(reader.format.rawValue) file; it holds problems, not dialogues"))
        }
        var dialogues: [Dialogue] = []
        while let item = try reader.next() {
            if case .dialogue(let dialogue) = item.record { dialogues.append(dialogue) }
        }
        return (dialogues, reader.stats)
    }
}
