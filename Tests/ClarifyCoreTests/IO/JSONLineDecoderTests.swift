import Foundation
import Testing

@testable import ClarifyCore

/// ``JSONLineDecoder`` replaced Foundation's `JSONDecoder` in the JSONL reader for speed; a user
/// must not notice anything else: the same values, and errors naming the same field.
@Suite("JSON line decoder")
struct JSONLineDecoderTests {
    /// Decodes `text` with both decoders and returns (ours, Foundation's) as values or located errors.
    func both<T: Decodable & Equatable>(_ type: T.Type, _ text: String) -> (ours: Result<T, JSONLError>, theirs: Result<T, JSONLError>) {
        func run(_ body: () throws -> T) -> Result<T, JSONLError> {
            do { return .success(try body()) } catch let error as DecodingError {
                return .failure(JSONLError.from(error, file: "f.jsonl", line: 1))
            } catch let error as JSONLError {
                return .failure(error)
            } catch {
                return .failure(JSONLError(file: "f.jsonl", reason: .invalidValue("\(error)")))
            }
        }
        let data = Data(text.utf8)
        return (run { try JSONLineDecoder().decode(T.self, from: data) }, run { try JSONDecoder().decode(T.self, from: data) })
    }

    @Test("dialogues, problems and loose values decode to what JSONDecoder gives")
    func sameValues() throws {
        let dialogues = [
            #"{"messages":[{"role":"user","content":"a\u00e9\ud83d\ude42\n\t\"q\"\/"}],"metadata":{"id":"x/1"}}"#,
            #"{"metadata":null,"messages":[]}"#,
            #" {"messages":[{"content":"c","role":"assistant"},{"role":"system","content":""}]} "#,
            #"{"messages":[{"role":"user","content":"first"}],"messages":[{"role":"user","content":"second"}]}"#,
        ]
        for text in dialogues {
            let (ours, theirs) = both(Dialogue.self, text)
            #expect(try ours.get() == theirs.get(), "\(text)")
        }
        let problem = Problem(
            id: "HumanEval/32", prompt: "def f(x):\n", entryPoint: "f",
            tests: .cases([TestCase(input: "[1, 2]", output: "0.5", relation: "==")]), source: "humanevalcomm",
            variants: [Variant(category: .ambiguous1, prompt: "def f(x): maybe")], metadata: ["difficulty": "easy"])
        let text = String(decoding: try JSONEncoder().encode(problem), as: UTF8.self)
        let (ours, theirs) = both(Problem.self, text)
        #expect(try ours.get() == problem)
        #expect(try theirs.get() == problem)

        struct Numbers: Decodable, Equatable {
            var small: Int8, big: UInt64, integral: Int, real: Double, float: Float, flag: Bool, maybe: Int?
        }
        let numbers = #"{"small":-128,"big":18446744073709551615,"integral":1.0,"real":-2.5e-3,"float":0.1,"flag":true,"maybe":null}"#
        let pair = both(Numbers.self, numbers)
        #expect(try pair.ours.get() == pair.theirs.get())
    }

    @Test("wrong types, missing fields, bad enum values and nulls name the same field as JSONDecoder")
    func sameErrors() {
        let lines = [
            #"{"messages":[{"role":"user","content":5}]}"#,
            #"{"messages":[{"content":"x"}]}"#,
            #"{"messages":[{"role":"robot","content":"x"}]}"#,
            #"{"messages":[{"role":"user","content":null}]}"#,
            #"{"messages":{"role":"user"}}"#,
            #"{"messages":[],"metadata":{"id":3}}"#,
            #"{"metadata":{}}"#,
            "[1,2]",
        ]
        for line in lines {
            let (ours, theirs) = both(Dialogue.self, line)
            guard case .failure(let mine) = ours, case .failure(let foundation) = theirs else {
                Issue.record("expected both to fail on \(line)")
                continue
            }
            #expect(mine.field == foundation.field, "\(line)")
            #expect(mine.description == foundation.description, "\(line)")
        }
        struct Small: Decodable, Equatable { var value: Int8 }
        let (ours, _) = both(Small.self, #"{"value":300}"#)
        guard case .failure(let error) = ours else {
            Issue.record("300 is not an Int8")
            return
        }
        #expect(error.field == "value")
    }

    @Test("malformed JSON is invalidJSON naming the byte, never a crash")
    func malformed() {
        let cases: [(String, String)] = [
            (#"{"a":1"#, "unexpected end of the line at byte 7"),
            (#"{"a":01}"#, "a number cannot start with 0 at byte 7"),
            (#"{"a":"x\q"}"#, "invalid escape '\\q' at byte 9"),
            ("{\"a\":\"tab\there\"}", "control character 0x09 inside a string (escape it) at byte 10"),
            (#"{"a":"\ud800"}"#, "a high surrogate \\uD800 without its low half at byte 13"),
            (#"{"a":1} x"#, "unexpected text after the value at byte 9"),
            (#"{"a":tru}"#, "unexpected character 't' at byte 6"),
            ("", "unexpected end of the line at byte 1"),
            (String(repeating: "[", count: 600), "nesting deeper than 512 levels at byte 513"),
        ]
        for (text, message) in cases {
            #expect(throws: JSONLError(file: "", reason: .invalidJSON(message)), "\(text.prefix(20))") {
                _ = try JSONLineDecoder().decode(JSONValue.self, from: Data(text.utf8))
            }
        }
    }

    @Test("JSON values keep each number's form, as Python reads them")
    func numberForms() throws {
        let value = try JSONValue.parse(Data(#"[0.0, 1, 1e2, -0, 2.5, "s", {"k": [true, null]}]"#.utf8))
        #expect(value == .array([.double(0), .int(1), .double(100), .int(0), .double(2.5), .string("s"),
                                 .object(["k": .array([.bool(true), .null])])]))
        #expect(value.pythonJSONText == #"[0.0, 1, 100.0, 0, 2.5, "s", {"k": [true, null]}]"#)
    }
}
