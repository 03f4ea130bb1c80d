import Foundation

/// The dataset file formats ClarifyCoder reads. All are JSONL, optionally gzip-compressed.
public enum DatasetFormat: String, Sendable, Codable, CaseIterable {
    /// OpenAI HumanEval: `task_id, prompt, entry_point, canonical_solution, test`.
    case humaneval
    /// HumanEvalComm v1/v2: `name, entry_point, prompt, solution, test_case, prompt1a…prompt3acp`.
    case humanevalcomm
    /// MBPP: `task_id, text, code, test_list, test_setup_code, challenge_test_list`.
    case mbpp
    /// APPS: `problem_id, question, solutions, input_output, difficulty, url, starter_code`.
    case apps
    /// Chat JSONL: `{"messages": [{"role", "content"}, …]}` (TRL, OpenAI fine-tuning).
    case chat
    /// ShareGPT: `{"conversations": [{"from", "value"}, …]}` (``ShareGPTRecord``).
    case sharegpt
    /// Alpaca: `{"instruction", "input", "output"}` (``AlpacaRecord``).
    case alpaca
    /// ClarifyCoder's own ``Problem`` records (`id, prompt, tests, source, variants, …`).
    case problem

    /// Whether records of this format are problems (everything but the chat formats).
    public var holdsProblems: Bool { !holdsDialogues }

    /// Whether records of this format are dialogues: chat, ShareGPT and Alpaca.
    public var holdsDialogues: Bool { [.chat, .sharegpt, .alpaca].contains(self) }

    /// Reads one dialogue record of this format (`nil` for the problem formats). Takes the
    /// project's ``JSONLineDecoder``: with Foundation's `JSONDecoder` here, ``DatasetReader``'s
    /// closure resolved to ``JSONLReader``'s slower overload for every format (0.36× Python's
    /// `json` loop in `bench/jsonl-stream.sh`, where the reader alone is above 1×).
    public func decodeDialogue(_ bytes: Data, decoder: JSONLineDecoder) throws -> Dialogue? {
        switch self {
        case .chat: return try decoder.decode(Dialogue.self, from: bytes)
        case .sharegpt: return try decoder.decode(ShareGPTRecord.self, from: bytes).dialogue
        case .alpaca: return try decoder.decode(AlpacaRecord.self, from: bytes).dialogue
        default: return nil
        }
    }

    /// Guesses the format from the field names of a record. The keys checked are the ones no
    /// other format has, so the order of the checks does not matter for real files.
    public static func detect(fields: Set<String>) -> DatasetFormat? {
        if fields.contains("messages") { return .chat }
        if fields.contains("conversations") { return .sharegpt }
        if fields.isSuperset(of: ["instruction", "output"]) { return .alpaca }
        if fields.contains("test_case") || fields.contains("prompt1a") { return .humanevalcomm }
        if fields.contains("canonical_solution") || (fields.contains("task_id") && fields.contains("test")) {
            return .humaneval
        }
        if fields.contains("test_list") { return .mbpp }
        if fields.contains("input_output") || (fields.contains("problem_id") && fields.contains("question")) {
            return .apps
        }
        if fields.isSuperset(of: ["id", "prompt", "tests", "source"]) { return .problem }
        return nil
    }

    /// Reads the first record of `path` and detects its format, with an error that lists the
    /// fields found when none matches.
    public static func detect(path: String) throws(JSONLError) -> DatasetFormat {
        let reader = try JSONLReader(path: path)
        let first: (keys: Set<String>, line: Int)?
        first = try reader.next { line, decoder in
            let value = try decoder.decode(JSONValue.self, from: line.bytes)
            guard let keys = value.objectKeys else {
                throw JSONLError(
                    file: path, line: line.number,
                    reason: .wrongType(expected: "a JSON object per line, found \(value.typeName)"))
            }
            return (keys, line.number)
        }
        guard let first else { throw JSONLError(file: path, reason: .empty) }
        guard let format = detect(fields: first.keys) else {
            let fields = first.keys.sorted().joined(separator: ", ")
            throw JSONLError(
                file: path, line: first.line,
                reason: .invalidValue("cannot tell the dataset format from the fields [\(fields)]; pass --format"))
        }
        return format
    }
}
