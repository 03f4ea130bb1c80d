import Foundation
import Testing

@testable import ClarifyCore

@Suite("ShareGPT and Alpaca records")
struct ChatRecordsTests {
    static let instruction = ClarificationInstructions.codeOrAsk

    /// A system prompt, a problem after the instruction, questions, answers and code.
    static let clarify = Dialogue(messages: [
        .system("You are a careful programmer."),
        .user(instruction + "\n\ndef f(x):\n    \"\"\"Return a fitting value.\"\"\"\n"),
        .assistant("Which value?\n1. The largest?"),
        .user("The largest.\nUser: stays text: a label follows a blank line."),
        .assistant("```python\ndef f(x):\n    return max(x)\n```"),
    ])
    static let plain = Dialogue(messages: [.user("Reverse a string."), .assistant("s[::-1]")])

    /// Encodes `record` as one JSONL line, then reads the line back through ``DatasetReader``.
    func readBack(_ record: some Encodable, format: DatasetFormat?) throws -> (Dialogue, DatasetFormat) {
        let directory = try TemporaryDirectory()
        let path = try directory.file("data.jsonl", String(decoding: try JSONEncoder().encode(record), as: UTF8.self) + "\n")
        let reader = try DatasetReader(path: path, format: format)
        guard case .dialogue(let dialogue)? = try reader.next()?.record else {
            Issue.record("no dialogue read")
            return (Dialogue(messages: []), reader.format)
        }
        return (dialogue, reader.format)
    }

    @Test("a ShareGPT record reads back as the same dialogue, and is detected")
    func shareGPTRoundTrip() throws {
        for dialogue in [Self.clarify, Self.plain] {
            let record = ShareGPTRecord(dialogue)
            #expect(record.conversations.map(\.from).last == "gpt")
            let (read, format) = try readBack(record, format: nil)
            #expect(read.messages == dialogue.messages && format == .sharegpt)
        }
    }

    @Test("an Alpaca record splits off the instruction and reads back as the same dialogue, and is detected")
    func alpacaRoundTrip() throws {
        let record = AlpacaRecord(Self.clarify)
        #expect(record.instruction == Self.instruction && record.system == "You are a careful programmer.")
        #expect(record.input.hasPrefix("def f(x):") && record.output.hasPrefix("```python"))
        for dialogue in [Self.clarify, Self.plain] {
            let (read, format) = try readBack(AlpacaRecord(dialogue), format: nil)
            #expect(read.messages == dialogue.messages && format == .alpaca)
        }
    }

    @Test("an Alpaca file without input or system fields (Stanford's own) reads as one exchange")
    func alpacaWithoutInput() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("a.jsonl", #"{"instruction": "Add 2 and 3.", "output": "5"}"# + "\n")
        let (dialogues, _) = try DatasetReader.loadDialogues(path: path, format: nil)
        #expect(dialogues.map(\.messages) == [[.user("Add 2 and 3."), .assistant("5")]])
    }

    @Test("an unknown ShareGPT speaker or chat role names the line, the field and the allowed values")
    func unknownSpeaker() throws {
        let directory = try TemporaryDirectory()
        let share = try directory.file(
            "s.jsonl",
            #"{"conversations": [{"from": "human", "value": "hi"}, {"from": "bot", "value": "yo"}]}"# + "\n")
        let error = expectJSONLError { _ = try DatasetReader.loadDialogues(path: share, format: .sharegpt) }
        #expect(error?.description == "\(share):1: field 'conversations[1].from': unknown speaker 'bot'; expected system, human or gpt")
        let chat = try directory.file(
            "c.jsonl",
            #"{"messages": [{"role": "user", "content": "hi"}]}"# + "\n"
                + #"{"messages": [{"role": "user", "content": "hi"}, {"role": "bot", "content": "yo"}]}"# + "\n")
        let roleError = expectJSONLError { _ = try DatasetReader.loadDialogues(path: chat) }
        #expect(roleError?.description == "\(chat):2: field 'messages[1].role': unknown role 'bot'; expected system, user, assistant")
    }
}

@Suite("Decoding errors in users' words")
struct ReadableDecodingErrorTests {
    private struct Record: Decodable {
        enum Kind: String, Decodable { case one }
        var kind: Kind
    }

    @Test("an unknown enum value is named without the Swift type")
    func unknownEnumValue() throws {
        do {
            _ = try JSONDecoder().decode(Record.self, from: Data(#"{"kind": "two"}"#.utf8))
            Issue.record("decoded")
        } catch let error as DecodingError {
            let located = JSONLError.from(error, file: "f.jsonl", line: 3)
            #expect(located.description == "f.jsonl:3: field 'kind': 'two' is not an accepted value")
        }
    }
}
