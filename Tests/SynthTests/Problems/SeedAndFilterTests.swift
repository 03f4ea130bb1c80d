import ClarifyCore
import Foundation
import Testing

@testable import Synth

/// A seed folder with one file per entry (relative path → text), made for one test.
func seedFolder(_ name: String, files: [String: String]) -> String {
    let folder = scratchDirectory(name)
    for (path, text) in files {
        let full = folder + "/" + path
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
    }
    return folder
}

@Suite("Seed snippets")
struct SeedCorpusTests {
    static let source = """
        import re

        def split_words(text):
            \"\"\"Split on spaces.

            >>> split_words("a b")
            ['a', 'b']
            \"\"\"
            return text.split()

        class Stack:
            def __init__(self):
                self.items = []

            def push(self, item):
                self.items.append(item)
                return self

        def _private(x):
            return x
            # a comment
        """

    @Test("functions, classes and doctest runs are found with their file, line and module; private ones are not")
    func snippets() throws {
        let folder = seedFolder("corpus", files: ["textutil/words.py": Self.source, "test/test_words.py": Self.source])
        let corpus = try SeedCorpus(folder: folder)
        #expect(corpus.filesRead == 1, "test suites are skipped")
        let found = corpus.snippets.map { "\($0.kind.rawValue) \($0.name) \($0.line)" }
        #expect(found == ["function split_words 3", "doc_example split_words 6", "class Stack 11", "function push 15"])
        #expect(corpus.snippets[0].code.hasSuffix("return text.split()") && corpus.snippets[0].module == "textutil")
        #expect(corpus.snippets[2].code.contains("def push"), "a class snippet holds its methods")
    }

    @Test("a folder without Python gives no snippets; a missing folder is an error; unreadable files are listed")
    func badFolders() throws {
        let empty = seedFolder("empty", files: ["notes.txt": "def f(): pass\n"])
        #expect(try SeedCorpus(folder: empty).snippets.isEmpty)
        #expect(throws: ProblemGenerationError.self) { try SeedCorpus(folder: empty + "/missing") }
        let folder = seedFolder("latin1", files: ["ok.py": Self.source])
        FileManager.default.createFile(atPath: folder + "/bad.py", contents: Data([0x64, 0x65, 0x66, 0xff, 0xfe]))
        let corpus = try SeedCorpus(folder: folder)
        #expect(corpus.unreadable == ["bad.py": "not UTF-8"] && corpus.filesRead == 1)
    }
}

@Suite("Near duplicates and contamination")
struct ProblemFilterTests {
    @Test("a reworded copy of a kept problem is a near duplicate; a different problem is not")
    func nearDuplicates() {
        var filter = NearDuplicateFilter()
        let text = "Return the sum of the even numbers in the list. >>> sum_evens([1, 2, 3, 4]) 6 return sum(v for v in values if v % 2 == 0)"
        #expect(filter.admit(id: "a", text: text) == nil)
        #expect(filter.admit(id: "b", text: text.replacingOccurrences(of: "list", with: "sequence")) == "a")
        #expect(filter.admit(id: "c", text: "Reverse every word of a sentence, keeping the order of the words.") == nil)
    }

    static let humanEval = Problem(
        id: "HumanEval/0",
        prompt: "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n    \"\"\" Check if in given list of numbers, are any two numbers closer to each other than given threshold.\n    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)\n    False\n    \"\"\"\n",
        entryPoint: "has_close_elements", referenceSolution: nil, tests: .checkProgram(""), source: "humaneval")

    func generated(_ name: String, parameters: String, doc: String) -> Problem {
        Problem(
            id: "stdlib/1", prompt: "def \(name)(\(parameters)) -> bool:\n    \"\"\"\(doc)\n    \"\"\"\n", entryPoint: name,
            referenceSolution: nil, tests: .checkProgram(""), source: "stdlib")
    }

    @Test("a benchmark's function name, parameter list or 13-gram passage marks a problem contaminated")
    func contamination() {
        let check = BenchmarkContamination(benchmarks: [Self.humanEval])
        #expect(check.reason(generated("has_close_elements", parameters: "xs: list", doc: "Anything.")) != nil)
        #expect(check.reason(generated("near", parameters: "numbers: List[float], threshold: float", doc: "Other.")) != nil)
        let copied = "Check if in given list of numbers, are any two numbers closer to each other than given threshold."
        #expect(check.reason(generated("close_pair", parameters: "xs: list", doc: copied)) != nil)
        #expect(check.reason(generated("all_unique", parameters: "xs: list", doc: "Whether no value repeats.")) == nil)
    }

    @Test("documented module-level functions and doctest runs are preferred seeds; methods and classes are not")
    func preferredSeeds() {
        func snippet(_ kind: SeedSnippet.Kind, _ code: String) -> SeedSnippet {
            SeedSnippet(file: "m.py", line: 1, kind: kind, name: "f", code: code)
        }
        #expect(snippet(.function, "def f(x):\n    \"\"\"Double x.\"\"\"\n    return 2 * x").isPreferred)
        #expect(!snippet(.function, "def f(x):\n    return 2 * x").isPreferred, "no docstring")
        #expect(!snippet(.function, "def f(self, x):\n    \"\"\"Double x.\"\"\"\n    return 2 * x").isPreferred)
        #expect(!snippet(.function, "def f(cls):\n    '''Make one.'''\n    return cls()").isPreferred)
        #expect(snippet(.function, "def f(selfish):\n    '''Keep.'''\n    return selfish").isPreferred)
        #expect(snippet(.docExample, ">>> f(2)\n4").isPreferred)
        #expect(!snippet(.class, "class C:\n    '''A thing.'''").isPreferred)
    }

    @Test("the prompt's skeleton handed back as an answer is never read as a problem")
    func skeletonCopied() {
        let reply = ProblemPrompt.skeleton
        #expect(reply.contains("def check(candidate):"))
        #expect(throws: ParseFailure.self) { try ProblemReplyParser.parse(reply).get() }
    }
}
