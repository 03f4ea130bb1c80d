import Testing

@testable import Synth

@Suite("LLM reply parser")
struct LLMReplyParserTests {
    @Test("reads an object inside a json fence with prose around it")
    func fenced() throws {
        let object = try LLMReplyParser.object(in: "Here:\n```json\n{\"a\": \"x {y}\", \"b\": [1, 2]}\n```\nDone {ok}.")
        #expect(object["a"] as? String == "x {y}")
        #expect((object["b"] as? [Int]) == [1, 2])
    }

    @Test("reads Python-style single quotes, True/None, trailing commas and raw newlines in strings")
    func pythonStyle() throws {
        let object = try LLMReplyParser.object(
            in: "{'text': 'it\\'s \"quoted\"\nsecond line', 'flag': True, 'none': None, 'list': ['q?',],}")
        #expect(object["text"] as? String == "it's \"quoted\"\nsecond line")
        #expect(object["flag"] as? Bool == true)
        #expect(try LLMReplyParser.strings("list", in: object) == ["q?"])
        #expect(LLMReplyParser.optionalString("none", in: object) == nil)
    }

    @Test("says what is wrong: no object, a truncated object, a missing or mistyped field")
    func errors() throws {
        #expect(throws: ReplyParseError("the reply contains no JSON object")) { try LLMReplyParser.object(in: "no idea") }
        #expect(throws: ReplyParseError("the JSON object is not closed (the reply looks truncated)")) {
            try LLMReplyParser.object(in: "{\"prompt\": \"def f(x):\\n    \\\"\\\"\\\"Return")
        }
        #expect(throws: ReplyParseError("the JSON object is not valid JSON")) { try LLMReplyParser.object(in: "{prompt: 3 4}") }
        let object = try LLMReplyParser.object(in: #"{"questions": "Why?", "summary": ""}"#)
        #expect(throws: ReplyParseError("the field \"answers\" is missing")) { try LLMReplyParser.strings("answers", in: object) }
        #expect(throws: ReplyParseError("the field \"questions\" is not a list")) { try LLMReplyParser.strings("questions", in: object) }
        #expect(throws: ReplyParseError("the field \"summary\" is empty")) { try LLMReplyParser.string("summary", in: object) }
    }
}
