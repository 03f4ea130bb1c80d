/// Problems written one by one rather than generated: brackets, run-length encoding, medians,
/// staircases, flattening, anagrams, Pascal's triangle, interval overlap.
///
/// They widen the bank beyond the parameterised families with problems whose precise terms
/// are of other sorts (indexing conventions, closed intervals, encodings).
enum HandWrittenProblems {
    static let family = "handwritten"

    static func problems() -> [BankProblem] {
        [brackets(), runLength(), lowerMedian(), staircase(), flatten(), anagrams(), pascalRow(), overlap()]
    }

    static func brackets() -> BankProblem {
        bankProblem(
            "handwritten/balanced_brackets", family: family, name: "balanced", params: [("text", "str")], returns: "bool",
            sentences: ["Return True if every '(', '[' and '{' in text is closed by the matching bracket in the right order, otherwise False.",
                        "Other characters are ignored."],
            facts: [
                SpecFact(
                    phrase: " in the right order", vague: " somewhere", omission: "", topic: "whether brackets must nest properly",
                    options: ["properly nested", "only counted"], clarification: "Brackets must close in the right (nested) order."),
                SpecFact(
                    phrase: "Other characters are ignored.", opposite: "Any other character makes the answer False.",
                    topic: "what happens to characters that are not brackets", options: ["ignored", "not allowed"],
                    clarification: "Ignore every character that is not a bracket."),
            ],
            body: "pairs = {')': '(', ']': '[', '}': '{'}\nstack = []\nfor c in text:\n    if c in '([{':\n        stack.append(c)\n    elif c in pairs:\n        if not stack or stack.pop() != pairs[c]:\n            return False\nreturn not stack",
            inputs: [["(a[b]{c})"], ["([)]"], [""], ["(("], ["x)"], ["{[()()]}"]]
        ) { args in
            var stack: [Character] = []
            let pairs: [Character: Character] = [")": "(", "]": "[", "}": "{"]
            for c in args.str(0) {
                if "([{".contains(c) { stack.append(c) } else if let open = pairs[c] {
                    if stack.popLast() != open { return .bool(false) }
                }
            }
            return .bool(stack.isEmpty)
        }
    }

    static func runLength() -> BankProblem {
        bankProblem(
            "handwritten/run_length", family: family, name: "encode_runs", params: [("text", "str")], returns: "str",
            sentences: ["Encode text by writing each run of equal characters as the character followed by the run length.",
                        "A run of length 1 is written with its count too, so 'ab' becomes 'a1b1'."],
            facts: [
                SpecFact(
                    phrase: "the character followed by the run length", vague: "the character and the run length",
                    opposite: "the run length followed by the character", topic: "whether the count comes after or before the character",
                    options: ["after", "before"], clarification: "Write the character first, then the count."),
                SpecFact(
                    phrase: "A run of length 1 is written with its count too, so 'ab' becomes 'a1b1'.",
                    topic: "whether runs of length 1 get a count", options: ["always", "only for longer runs"],
                    clarification: "Every run gets its count, even a run of length 1."),
            ],
            body: "result = ''\ni = 0\nwhile i < len(text):\n    j = i\n    while j < len(text) and text[j] == text[i]:\n        j += 1\n    result += text[i] + str(j - i)\n    i = j\nreturn result",
            inputs: [["aaabcc"], ["ab"], [""], ["zzzz"], ["abba"]]
        ) { args in
            var result = ""
            var chars = Array(args.str(0))[...]
            while let first = chars.first {
                let run = chars.prefix { $0 == first }.count
                result += "\(first)\(run)"
                chars = chars.dropFirst(run)
            }
            return .str(result)
        }
    }

    static func lowerMedian() -> BankProblem {
        bankProblem(
            "handwritten/lower_median", family: family, name: "middle_value", params: [("numbers", "list[int]")],
            returns: "int",
            sentences: ["Return the median of the non-empty list numbers.",
                        "For an even number of elements, return the smaller of the two middle values."],
            facts: [SpecFact(
                phrase: "the smaller of the two middle values", vague: "one of the two middle values",
                opposite: "the larger of the two middle values", topic: "which middle value to return for an even count",
                options: ["the smaller", "the larger", "their average"],
                clarification: "For an even count, return the smaller middle value.")],
            body: "ordered = sorted(numbers)\nreturn ordered[(len(ordered) - 1) // 2]",
            inputs: [[.ints([5, 1, 3])], [.ints([4, 1, 3, 2])], [.ints([7])], [.ints([9, 9, 1, 1])], [.ints([-2, 10, 3, 8, 0, 4])]]
        ) { args in
            let ordered = args.ints(0).sorted()
            return .int(ordered[(ordered.count - 1) / 2])
        }
    }

    static func staircase() -> BankProblem {
        bankProblem(
            "handwritten/staircase_ways", family: family, name: "ways_to_climb", params: [("n", "int")], returns: "int",
            sentences: ["Return in how many ways a staircase of n steps can be climbed taking 1 or 2 steps at a time.",
                        "For n equal to 0 there is exactly one way: doing nothing."],
            facts: [
                SpecFact(
                    phrase: "taking 1 or 2 steps at a time", vague: "taking small steps", omission: "",
                    opposite: "taking 1, 2 or 3 steps at a time", topic: "which step sizes are allowed",
                    options: ["1 or 2", "1, 2 or 3"], clarification: "Each move climbs 1 or 2 steps."),
                SpecFact(
                    phrase: "For n equal to 0 there is exactly one way: doing nothing.", topic: "the answer for n = 0",
                    options: ["1", "0"], clarification: "For n = 0 the answer is 1."),
            ],
            body: "a, b = 1, 1\nfor _ in range(n):\n    a, b = b, a + b\nreturn a",
            inputs: [[4], [0], [1], [10], [2]]
        ) { args in
            var (a, b) = (1, 1)
            for _ in 0..<args.int(0) { (a, b) = (b, a + b) }
            return .int(a)
        }
    }

    static func flatten() -> BankProblem {
        bankProblem(
            "handwritten/flatten_one_level", family: family, name: "flatten", params: [("groups", "list[list[int]]")],
            returns: "list[int]",
            sentences: ["Return the elements of the inner lists of groups in one list, keeping their order."],
            facts: [SpecFact(
                phrase: ", keeping their order", vague: ", in some order", omission: "", opposite: ", sorted in ascending order",
                topic: "the order of the result", options: ["as they appear", "sorted"],
                clarification: "Keep the elements in the order they appear.")],
            body: "return [x for group in groups for x in group]",
            inputs: [[.list([.ints([3, 1]), .ints([2])])], [.list([])], [.list([.ints([]), .ints([5])])],
                     [.list([.ints([9, 8, 7])])], [.list([.ints([1]), .ints([1]), .ints([0, 4])])]]
        ) { args in
            guard case .list(let groups) = args[0] else { return .ints([]) }
            return .list(groups.flatMap { if case .list(let items) = $0 { return items } else { return [] } })
        }
    }

    static func anagrams() -> BankProblem {
        bankProblem(
            "handwritten/anagrams", family: family, name: "same_letters", params: [("a", "str"), ("b", "str")],
            returns: "bool",
            sentences: ["Return True if a and b are anagrams of each other, ignoring case and spaces, otherwise False."],
            facts: [SpecFact(
                phrase: ", ignoring case and spaces", vague: ", more or less", omission: "",
                opposite: ", comparing case and spaces exactly", topic: "whether case and spaces matter",
                options: ["ignore them", "compare them exactly"], clarification: "Ignore case and spaces.")],
            body: "return sorted(a.replace(' ', '').lower()) == sorted(b.replace(' ', '').lower())",
            inputs: [["Listen", "Silent"], ["dormitory", "dirty room"], ["abc", "abd"], ["", " "], ["aab", "abb"]]
        ) { args in
            let key: (String) -> [Character] = { $0.replacingOccurrences(of: " ", with: "").lowercased().sorted() }
            return .bool(key(args.str(0)) == key(args.str(1)))
        }
    }

    static func pascalRow() -> BankProblem {
        bankProblem(
            "handwritten/pascal_row", family: family, name: "pascal_row", params: [("n", "int")], returns: "list[int]",
            sentences: ["Return row n of Pascal's triangle, where row 0 is [1] and row 1 is [1, 1]."],
            facts: [SpecFact(
                phrase: ", where row 0 is [1] and row 1 is [1, 1]", vague: ", counting rows in the usual way", omission: "",
                opposite: ", where row 1 is [1] and row 2 is [1, 1]", topic: "whether rows are numbered from 0 or from 1",
                options: ["from 0", "from 1"], clarification: "Rows are numbered from 0: row 0 is [1].")],
            body: "row = [1]\nfor _ in range(n):\n    row = [a + b for a, b in zip([0] + row, row + [0])]\nreturn row",
            inputs: [[3], [0], [1], [5], [2]]
        ) { args in
            var row = [1]
            for _ in 0..<args.int(0) { row = zip([0] + row, row + [0]).map { $0 + $1 } }
            return .ints(row)
        }
    }

    static func overlap() -> BankProblem {
        bankProblem(
            "handwritten/interval_overlap", family: family, name: "shared_integers",
            params: [("a_start", "int"), ("a_end", "int"), ("b_start", "int"), ("b_end", "int")], returns: "int",
            sentences: ["Return how many integers lie in both closed intervals [a_start, a_end] and [b_start, b_end], ends included.",
                        "Each interval has start <= end."],
            facts: [SpecFact(
                phrase: "closed intervals", vague: "intervals", omission: "intervals", opposite: "open intervals",
                topic: "whether the ends of the intervals count", options: ["ends included", "ends excluded"],
                clarification: "Both intervals include their ends.")],
            body: "return max(0, min(a_end, b_end) - max(a_start, b_start) + 1)",
            inputs: [[1, 5, 3, 9], [1, 2, 3, 4], [0, 10, 2, 2], [4, 4, 4, 4], [-3, 0, 0, 6], [2, 8, 8, 9]]
        ) { args in
            .int(max(0, min(args.int(1), args.int(3)) - max(args.int(0), args.int(2)) + 1))
        }
    }
}
