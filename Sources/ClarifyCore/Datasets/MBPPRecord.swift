import Foundation

/// A record of MBPP (Austin et al.; `mbpp.jsonl` of google-research/mbpp): `task_id, text,
/// code, test_list, test_setup_code, challenge_test_list`. The "sanitized" split names the
/// statement `prompt` and the setup `test_imports`; both spellings are read.
public struct MBPPRecord: Decodable, Sendable, Hashable {
    public var taskID: Int
    public var text: String
    public var code: String
    public var testList: [String]
    public var testSetupCode: String
    public var challengeTestList: [String]

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case text
        case prompt
        case code
        case testList = "test_list"
        case testSetupCode = "test_setup_code"
        case testImports = "test_imports"
        case challengeTestList = "challenge_test_list"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        taskID = try container.decode(Int.self, forKey: .taskID)
        if container.contains(.text) || !container.contains(.prompt) {
            text = try container.decode(String.self, forKey: .text)
        } else {
            text = try container.decode(String.self, forKey: .prompt)
        }
        code = try container.decode(String.self, forKey: .code)
        testList = try container.decode([String].self, forKey: .testList)
        if let setup = try container.decodeIfPresent(String.self, forKey: .testSetupCode) {
            testSetupCode = setup
        } else {
            testSetupCode = (try container.decodeIfPresent([String].self, forKey: .testImports) ?? []).joined(
                separator: "\n")
        }
        challengeTestList = try container.decodeIfPresent([String].self, forKey: .challengeTestList) ?? []
    }

    /// The function the asserts call: the identifier after `assert` (MBPP names no entry point;
    /// its asserts read `assert name(args) == expected`, sometimes wrapped as `assert set(name(…))`).
    public var inferredEntryPoint: String? {
        let definitions = Set(
            code.split(whereSeparator: \.isNewline).compactMap { line -> String? in
                let trimmed = line.drop(while: { $0 == " " })
                guard trimmed.hasPrefix("def ") else { return nil }
                return String(trimmed.dropFirst(4).prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" }))
            })
        for assertion in testList {
            var identifier = ""
            for character in assertion.dropFirst("assert".count) {
                if character.isLetter || character.isNumber || character == "_" {
                    identifier.append(character)
                } else {
                    if definitions.contains(identifier) { return identifier }
                    identifier = ""
                }
            }
        }
        return nil
    }

    public var problem: Problem {
        Problem(
            id: "MBPP/\(taskID)", prompt: text, entryPoint: inferredEntryPoint, referenceSolution: code,
            tests: .asserts(setup: testSetupCode, asserts: testList, challenge: challengeTestList), source: "mbpp")
    }
}
