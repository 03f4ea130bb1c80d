import Foundation

/// A record of APPS (Hendrycks et al.; the JSONL of `codeparrot/apps`): `problem_id,
/// question, solutions, input_output, difficulty, url, starter_code`.
///
/// `solutions` and `input_output` are JSON documents *inside strings* (a list of programs;
/// `{"inputs": [...], "outputs": [...], "fn_name"?: ...}`), and either may be the empty string
/// when the problem has none. Standard-input problems have string inputs and outputs; problems
/// with `fn_name` are call-based: each input is the list of arguments and each output a list
/// holding the return value. Non-string values keep their JSON text in ``StdioCase``.
public struct APPSRecord: Decodable, Sendable, Hashable {
    public var problemID: Int
    public var question: String
    public var solutions: [String]
    public var inputs: [String]
    public var outputs: [String]
    public var functionName: String?
    public var difficulty: String?
    public var url: String?
    public var starterCode: String

    enum CodingKeys: String, CodingKey {
        case problemID = "problem_id"
        case question
        case solutions
        case inputOutput = "input_output"
        case difficulty
        case url
        case starterCode = "starter_code"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        problemID = try container.decode(Int.self, forKey: .problemID)
        question = try container.decode(String.self, forKey: .question)
        difficulty = try container.decodeIfPresent(String.self, forKey: .difficulty)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        starterCode = try container.decodeIfPresent(String.self, forKey: .starterCode) ?? ""

        let solutionsText = try container.decodeIfPresent(String.self, forKey: .solutions) ?? ""
        solutions = try Self.decodeEmbedded([String].self, from: solutionsText, field: "solutions") ?? []

        let ioText = try container.decodeIfPresent(String.self, forKey: .inputOutput) ?? ""
        if let io = try Self.parseInputOutput(ioText) {
            inputs = io.inputs.map { $0.stringValue ?? $0.pythonJSONText }
            outputs = io.outputs.map { $0.stringValue ?? $0.pythonJSONText }
            functionName = io.functionName
        } else {
            inputs = []
            outputs = []
            functionName = nil
        }
    }

    /// `input_output` parsed with `JSONSerialization` (see ``JSONValue/init(jsonObject:)``: call-based
    /// inputs and outputs are numbers whose integer/float form must survive); `nil` when empty.
    private static func parseInputOutput(_ text: String) throws -> (
        inputs: [JSONValue], outputs: [JSONValue], functionName: String?
    )? {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue.parse(Data(text.utf8))
        } catch {
            throw JSONLError(
                file: "", field: "input_output", reason: .invalidValue("the string does not hold valid JSON"))
        }
        guard case .object = value else {
            throw JSONLError(
                file: "", field: "input_output",
                reason: .wrongType(expected: "a JSON object in the string, found \(value.typeName)"))
        }
        var lists: [[JSONValue]] = []
        for key in ["inputs", "outputs"] {
            guard let member = value[key] else {
                throw JSONLError(file: "", field: "input_output.\(key)", reason: .missingField)
            }
            guard let list = member.arrayValue else {
                throw JSONLError(
                    file: "", field: "input_output.\(key)",
                    reason: .wrongType(expected: "a list, found \(member.typeName)"))
            }
            lists.append(list)
        }
        guard lists[0].count == lists[1].count else {
            throw JSONLError(
                file: "", field: "input_output",
                reason: .invalidValue("\(lists[0].count) inputs but \(lists[1].count) outputs"))
        }
        var functionName: String?
        if let name = value["fn_name"], name != .null {
            guard let text = name.stringValue else {
                throw JSONLError(
                    file: "", field: "input_output.fn_name",
                    reason: .wrongType(expected: "a string, found \(name.typeName)"))
            }
            functionName = text
        }
        return (lists[0], lists[1], functionName)
    }

    /// Decodes the JSON document held in a string field; `nil` for an empty string. Errors name
    /// the outer field and the path inside the embedded document (`input_output.inputs`).
    private static func decodeEmbedded<T: Decodable>(_ type: T.Type, from text: String, field: String) throws -> T? {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            var located = JSONLError.from(error, file: "", line: nil)
            located.field = located.field.map { $0.isEmpty ? field : "\(field).\($0)" } ?? field
            if case .invalidJSON(let why) = located.reason {
                located.reason = .invalidValue("the string does not hold valid JSON (\(why))")
            }
            throw located
        }
    }

    public var problem: Problem {
        var metadata: [String: String] = ["solutions": String(solutions.count)]
        if let difficulty { metadata["difficulty"] = difficulty }
        if let url { metadata["url"] = url }
        if !starterCode.isEmpty { metadata["starter_code"] = starterCode }
        if functionName != nil { metadata["call_based"] = "true" }
        return Problem(
            id: "APPS/\(problemID)", prompt: question, entryPoint: functionName, referenceSolution: solutions.first,
            tests: .stdio(zip(inputs, outputs).map { StdioCase(input: $0, output: $1) }), source: "apps",
            metadata: metadata)
    }
}
