import ClarifyCore
import Foundation

/// The dialogues of a chat JSONL file (`{"messages": [{"role", "content"}, …]}`, the format TRL
/// and `clarifycoder mix` write; ShareGPT and Alpaca records too, see ``ShareGPTRecord`` and
/// ``AlpacaRecord``), checked for what training needs, with every bad line located.
///
/// Roles are read as text rather than through ``Role`` so that an unknown role (`tool`,
/// `function`) is reported as such at its `file:line: field 'messages[2].role'`, the same way
/// ``JSONLReader`` reports malformed JSON; a dialogue with no assistant turn or an empty assistant
/// message is rejected too. Nothing bad is dropped silently: ``load(path:)`` fails listing them.
struct ChatDataFile {
    /// One usable dialogue and where it came from.
    struct Record {
        var messages: [Message]
        var line: Int
        /// `metadata[groupKey]` of the dialogue when the file was read with a group key and the
        /// dialogue has that field as a string or number (e.g. the `problem_id` `clarifycoder mix` writes).
        var group: String? = nil
    }

    var path: String
    var records: [Record]

    private struct RawMessage: Decodable {
        var role: String
        var content: String
    }

    private struct RawDialogue: Decodable {
        var messages: [RawMessage]
        /// Free-form: a `metadata` that is not an object is ignored, as it was before grouping read it.
        var metadata: [String: MetadataValue]?

        enum CodingKeys: String, CodingKey { case messages, metadata, conversations, instruction }

        /// Chat JSONL, or the ShareGPT / Alpaca records `clarifycoder mix --format` writes (told
        /// apart by their `conversations` / `instruction` field; without either, `messages` is required).
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let other: Dialogue?
            if container.contains(.messages) {
                other = nil
            } else if container.contains(.conversations) {
                other = try ShareGPTRecord(from: decoder).dialogue
            } else if container.contains(.instruction) {
                other = try AlpacaRecord(from: decoder).dialogue
            } else {
                other = nil
            }
            if let other {
                messages = other.messages.map { RawMessage(role: $0.role.rawValue, content: $0.content) }
                metadata = nil
                return
            }
            messages = try container.decode([RawMessage].self, forKey: .messages)
            metadata = try? container.decodeIfPresent([String: MetadataValue].self, forKey: .metadata)
        }
    }

    /// A metadata field as text when it is a string or a number; anything else (objects, arrays,
    /// null, booleans) is kept as nil rather than failing the dialogue: metadata is free-form.
    private struct MetadataValue: Decodable {
        var text: String?

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let int = try? container.decode(Int.self) {
                text = String(int)
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else {
                text = nil
            }
        }
    }

    /// Most bad lines listed in an error; the rest are counted.
    static let listedErrors = 10

    /// Reads and checks `path`; throws a ``TrainingError`` naming each bad line (up to ten, then a count).
    /// With `groupKey`, each record's ``Record/group`` is its `metadata[groupKey]`.
    static func load(path: String, groupKey: String? = nil) throws -> ChatDataFile {
        let reader: JSONLReader
        do {
            reader = try JSONLReader(path: path, options: JSONLReadOptions(onError: .skip, maxListedErrors: listedErrors))
        } catch {
            throw TrainingError(error.description)
        }
        var records: [Record] = []
        do {
            while let record = try reader.next({ line, decoder in try Self.check(line, decoder: decoder, groupKey: groupKey) }) {
                records.append(record)
            }
        } catch {
            throw TrainingError(error.description)
        }
        let stats = reader.stats
        if stats.skipped > 0 {
            var message = "\(path): \(stats.skipped) bad example\(stats.skipped == 1 ? "" : "s"):\n"
            message += stats.errors.map { "  " + $0.description }.joined(separator: "\n")
            if stats.skipped > stats.errors.count { message += "\n  … and \(stats.skipped - stats.errors.count) more" }
            throw TrainingError(message)
        }
        guard !records.isEmpty else { throw TrainingError("\(path): no examples") }
        return ChatDataFile(path: path, records: records)
    }

    private static func check(_ line: JSONLLine, decoder: JSONLineDecoder, groupKey: String?) throws -> Record {
        let raw = try decoder.decode(RawDialogue.self, from: line.bytes)
        func bad(_ field: String?, _ why: String) -> JSONLError {
            JSONLError(file: "", line: line.number, field: field, reason: .invalidValue(why))
        }
        guard !raw.messages.isEmpty else { throw bad("messages", "no messages") }
        var messages: [Message] = []
        for (index, message) in raw.messages.enumerated() {
            guard let role = Role(rawValue: message.role) else {
                throw bad(
                    "messages[\(index)].role",
                    "unknown role '\(message.role)'; expected \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if role == .assistant && message.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw bad("messages[\(index)].content", "empty assistant answer")
            }
            messages.append(Message(role: role, content: message.content))
        }
        guard messages.contains(where: { $0.role == .assistant }) else {
            throw bad("messages", "no assistant turn: nothing to train on")
        }
        let group = groupKey.flatMap { raw.metadata?[$0]?.text }
        return Record(messages: messages, line: line.number, group: group)
    }
}
