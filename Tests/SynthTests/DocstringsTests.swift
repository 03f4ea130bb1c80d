import ClarifyCore
import Foundation
import Testing

@testable import Synth

@Suite("Docstrings")
struct DocstringsTests {
    @Test("the docstring opening a function's body goes; the signature and the body stay")
    func removesDocstrings() {
        let code = """
            from typing import List


            def pick(numbers: List[int], limit: int) -> List[int]:
                \"\"\"Return the elements above limit.
                >>> pick([1, 5], 2)
                [5]
                \"\"\"
                return [x for x in numbers if x > limit]
            """
        #expect(Docstrings.removed(from: code) == """
            from typing import List


            def pick(numbers: List[int], limit: int) -> List[int]:
                return [x for x in numbers if x > limit]
            """)
    }

    @Test("one-line, single-quoted, raw, multi-line-header and nested functions")
    func variants() {
        let code = """
            def outer(
                text: str,
                sep: str = ':',
            ) -> list[str]:
                r'''Split text on sep.'''  # why not
                def inner(part: str) -> str:
                    \"\"\"Strip one part.\"\"\"
                    return part.strip()

                return [inner(p) for p in text.split(sep)]
            """
        #expect(Docstrings.removed(from: code) == """
            def outer(
                text: str,
                sep: str = ':',
            ) -> list[str]:
                def inner(part: str) -> str:
                    return part.strip()

                return [inner(p) for p in text.split(sep)]
            """)
    }

    @Test("what is not an opening docstring is left as it was")
    func leavesTheRest() {
        let cases = [
            // only a docstring: removing it would leave an empty body
            "def f():\n    \"\"\"Nothing yet.\"\"\"\n\nx = 1",
            // a string that is not the first statement
            "def f():\n    y = 1\n    \"\"\"not a docstring\"\"\"\n    return y",
            // unterminated
            "def f():\n    \"\"\"Broken\n    return 1",
            // code after the closing quotes
            "def f():\n    \"\"\"Doc.\"\"\"; return 1\n    return 2",
            // one-quote strings are not what the bank's solutions use; left alone
            "def f():\n    'Doc.'\n    return 1",
            // a one-line def
            "def f(x): return x\n\"\"\"module text\"\"\"\nprint(f(1))",
            // no function at all
            "\"\"\"Module docstring.\"\"\"\nprint(1)",
        ]
        for code in cases { #expect(Docstrings.removed(from: code) == code, "\(code)") }
    }

    @Test("mix --no-docstrings: code answers are signature and body; the settings file reads back")
    func dialogueFormat() throws {
        let code = "def f(x):\n    \"\"\"Return the largest.\"\"\"\n    return max(x)"
        let bare = DialogueFormat(confirmClear: true, docstrings: false)
        #expect(bare.original(prompt: "p", code: code).messages[1].content
            == "The requirements are clear.\n\n```python\ndef f(x):\n    return max(x)\n```")
        let draft = ClarificationDraft(
            variant: Variant(category: .ambiguous1, prompt: "def f(x):\n    \"\"\"Return a fitting value.\"\"\"\n", changes: []),
            summary: "Which value is unclear.", questions: ["Which value?"], answers: ["The largest."])
        #expect(bare.clarify(draft, code: code).messages.last?.content == "```python\ndef f(x):\n    return max(x)\n```")
        #expect(DialogueFormat().original(prompt: "p", code: code).messages[1].content == "```python\n" + code + "\n```")

        // The key is written only when off, so settings saved before it existed compare equal.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let old = Data(#"{"confirmClear":false,"target":"dialogue"}"#.utf8)
        #expect(try JSONDecoder().decode(DialogueFormat.self, from: old) == DialogueFormat())
        #expect(String(decoding: try encoder.encode(DialogueFormat()), as: UTF8.self) == String(decoding: old, as: UTF8.self))
        let saved = try encoder.encode(bare)
        #expect(String(decoding: saved, as: UTF8.self).contains(#""docstrings":false"#))
        #expect(try JSONDecoder().decode(DialogueFormat.self, from: saved) == bare)
    }
}
