import Foundation

/// A record type decoded straight from the parsed tree, skipping `Codable`'s machinery — for the
/// types read in bulk (chat dialogues: training sets, `data inspect`). Each conformance must throw
/// the `DecodingError` its `Decodable` conformance would, with the same coding path, so errors
/// read the same either way (MalformedInputTests holds both to one text).
protocol JSONNodeDecodable {
    init(node: JSONNode, codingPath: [any CodingKey]) throws
}

extension JSONNode {
    /// The members, or the error `JSONDecoder` gives for a non-object.
    func members(_ path: @autoclosure () -> [any CodingKey]) throws -> [JSONMember] {
        guard case .object(let members) = self else { throw JSONNodeDecoder.mismatch([String: Any].self, self, path()) }
        return members
    }

    func elements(_ path: @autoclosure () -> [any CodingKey]) throws -> [JSONNode] {
        guard case .array(let elements) = self else { throw JSONNodeDecoder.mismatch([Any].self, self, path()) }
        return elements
    }
}

extension Array where Element == JSONMember {
    /// The value of `key` (the first one, when repeated, as `JSONDecoder` reads it).
    func value(_ key: String) -> JSONNode? { first { $0.key == key }?.value }
}

extension Dialogue: JSONNodeDecodable {
    init(node: JSONNode, codingPath path: [any CodingKey]) throws {
        let messagesKey = JSONNamedKey("messages")
        let metadataKey = JSONNamedKey("metadata")
        let members = try node.members(path)
        guard let list = members.value("messages") else {
            throw DecodingError.keyNotFound(
                messagesKey, .init(codingPath: path, debugDescription: "No value associated with key messages."))
        }
        let elements = try list.elements(path + [messagesKey])
        var messages: [Message] = []
        messages.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            messages.append(
                try Message(node: element, codingPath: path + [messagesKey, JSONIndexKey(index: index)]))
        }
        var metadata: [String: String] = [:]
        if let value = members.value("metadata") {
            if case .null = value {
            } else {
                for member in try value.members(path + [metadataKey]) {
                    metadata[member.key] = try JSONNodeDecoder.string(
                        member.value, path + [metadataKey, JSONNamedKey(member.key)])
                }
            }
        }
        self.init(messages: messages, metadata: metadata)
    }
}

extension Message: JSONNodeDecodable {
    init(node: JSONNode, codingPath path: [any CodingKey]) throws {
        let members = try node.members(path)
        func field(_ name: String) throws -> JSONNode {
            guard let value = members.value(name) else {
                throw DecodingError.keyNotFound(
                    JSONNamedKey(name), .init(codingPath: path, debugDescription: "No value associated with key \(name)."))
            }
            return value
        }
        let roleText = try JSONNodeDecoder.string(try field("role"), path + [JSONNamedKey("role")])
        guard let role = Role(rawValue: roleText) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: path + [JSONNamedKey("role")],
                    debugDescription: Role.unknown(roleText)))
        }
        let content = try JSONNodeDecoder.string(try field("content"), path + [JSONNamedKey("content")])
        self.init(role: role, content: content)
    }
}
