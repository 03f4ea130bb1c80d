/// Dictionary problems: counting words, inverting with a collision rule, the key with the
/// largest value and its tie-breaking, filtering by value, merging.
enum DictionaryFamily {
    static let family = "dicts"

    static func problems() -> [BankProblem] {
        var result: [BankProblem] = []
        for caseSensitive in [true, false] { result.append(wordCounts(caseSensitive: caseSensitive)) }
        for keepFirst in [true, false] { result.append(invert(keepFirst: keepFirst)) }
        for largest in [true, false] { for alphabetical in [true, false] {
            result.append(extremeKey(largest: largest, alphabeticalTie: alphabetical))
        } }
        for k in [2, 5] { for strict in [true, false] { result.append(filterValues(k: k, strict: strict)) } }
        for ascending in [true, false] { result.append(keysByValue(ascending: ascending)) }
        for secondWins in [true, false] { result.append(mergeOverride(secondWins: secondWins)) }
        result.append(mergeAdd())
        result.append(groupByLength())
        for lower in [true, false] { result.append(groupByInitial(lowercaseKeys: lower)) }
        result.append(letterFrequencies())
        for k in [1, 3, 0] { result.append(keysAbove(k)) }
        return result
    }

    static let sampleDicts: [[(String, Int)]] = [
        [("apple", 3), ("pear", 7), ("fig", 3), ("kiwi", 7)], [("x", 1)], [], [("b", 2), ("a", 2), ("c", 5)],
        [("one", 1), ("two", 2), ("three", 3), ("zero", 0)], [("m", 5), ("n", 4), ("o", 6)],
    ]

    static func wordCounts(caseSensitive: Bool) -> BankProblem {
        let rule = caseSensitive ? "Words that differ in case are counted separately."
            : "Words are compared ignoring case and counted under their lowercase form."
        return bankProblem(
            "dicts/word_counts_\(caseSensitive ? "cs" : "ci")", family: family, name: "word_counts",
            params: [("text", "str")], returns: "dict[str, int]",
            sentences: ["Return a dictionary mapping each word of text to how many times it occurs, in order of first appearance.",
                        "Words are separated by whitespace.", rule],
            facts: [SpecFact(
                phrase: rule, topic: "whether the count is case-sensitive", options: ["case-sensitive", "case-insensitive"],
                clarification: rule)],
            body: "counts = {}\nfor word in text.split():\n    key = \(caseSensitive ? "word" : "word.lower()")\n    counts[key] = counts.get(key, 0) + 1\nreturn counts",
            inputs: [["the cat The cat"], ["a b a"], [""], ["Hi hi HI"], ["one"]]
        ) { args in
            var pairs: [(String, Int)] = []
            for word in args.str(0).split(whereSeparator: \.isWhitespace) {
                let key = caseSensitive ? String(word) : word.lowercased()
                if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 += 1 } else { pairs.append((key, 1)) }
            }
            return strIntDict(pairs)
        }
    }

    static func invert(keepFirst: Bool) -> BankProblem {
        let rule = keepFirst ? "If several keys share a value, the key that comes first in mapping wins."
            : "If several keys share a value, the key that comes last in mapping wins."
        return bankProblem(
            "dicts/invert_\(keepFirst ? "first" : "last")_wins", family: family, name: "invert",
            params: [("mapping", "dict[str, int]")], returns: "dict[int, str]",
            sentences: ["Return a dictionary that maps each value of mapping back to its key.", rule],
            facts: [SpecFact(
                phrase: rule, opposite: keepFirst ? "If several keys share a value, the key that comes last in mapping wins."
                    : "If several keys share a value, the key that comes first in mapping wins.",
                topic: "which key wins when values collide", options: ["the first", "the last"], clarification: rule)],
            body: keepFirst ? "result = {}\nfor key, value in mapping.items():\n    if value not in result:\n        result[value] = key\nreturn result"
                : "return {value: key for key, value in mapping.items()}",
            inputs: sampleDicts.map { [strIntDict($0)] }
        ) { args in
            var pairs: [(Int, String)] = []
            for (key, value) in args.pairs(0) {
                if let i = pairs.firstIndex(where: { $0.0 == value }) { if !keepFirst { pairs[i].1 = key } }
                else { pairs.append((value, key)) }
            }
            return .dict(pairs.map { PyPair(.int($0.0), .str($0.1)) })
        }
    }

    static func extremeKey(largest: Bool, alphabeticalTie: Bool) -> BankProblem {
        let size = largest ? "largest" : "smallest"
        let tie = alphabeticalTie ? "If several keys tie, return the alphabetically smallest of them."
            : "If several keys tie, return the one that comes first in scores."
        let pick = largest ? "max" : "min"
        let body = alphabeticalTie
            ? "if not scores:\n    return None\nbest = \(pick)(scores.values())\nreturn min(k for k, v in scores.items() if v == best)"
            : "if not scores:\n    return None\nreturn \(pick)(scores, key=scores.get)"
        return bankProblem(
            "dicts/key_of_\(size)_\(alphabeticalTie ? "alphabetical" : "first")", family: family,
            name: "\(largest ? "top" : "bottom")_key", params: [("scores", "dict[str, int]")], returns: "str | None",
            sentences: ["Return the key of scores with the \(size) value.", tie, "An empty dictionary gives None."],
            facts: [
                SpecFact(
                    phrase: tie, topic: "which key to return on a tie", options: ["alphabetical", "first inserted"],
                    clarification: tie),
                SpecFact(
                    phrase: "the \(size) value", vague: "the extreme value", opposite: "the \(largest ? "smallest" : "largest") value",
                    topic: "whether the largest or smallest value is wanted", options: ["largest", "smallest"],
                    clarification: "Look for the \(size) value."),
            ],
            body: body, inputs: sampleDicts.map { [strIntDict($0)] } + [[strIntDict([("z", 1), ("y", 1)])]]
        ) { args in
            let pairs = args.pairs(0)
            guard let best = (largest ? pairs.map(\.1).max() : pairs.map(\.1).min()) else { return .none }
            let tied = pairs.filter { $0.1 == best }.map(\.0)
            return .str(alphabeticalTie ? tied.min()! : tied.first!)
        }
    }

    static func filterValues(k: Int, strict: Bool) -> BankProblem {
        let relation = strict ? "strictly greater than \(k)" : "at least \(k)"
        return bankProblem(
            "dicts/values_\(strict ? "gt" : "ge")_\(k)", family: family, name: "keep_large_values",
            params: [("mapping", "dict[str, int]")], returns: "dict[str, int]",
            sentences: ["Return a new dictionary with only the entries of mapping whose value is \(relation), in their original order."],
            facts: [SpecFact(
                phrase: "whose value is \(relation)", vague: "whose value is large", omission: "",
                opposite: "whose value is \(strict ? "at most" : "less than") \(k)",
                topic: "the threshold and whether a value equal to \(k) is kept",
                options: ["strictly greater than \(k)", "at least \(k)"], clarification: "Keep the entries whose value is \(relation).")],
            body: "return {key: value for key, value in mapping.items() if value \(strict ? ">" : ">=") \(k)}",
            inputs: sampleDicts.map { [strIntDict($0)] } + [[strIntDict([("edge", k), ("above", k + 1)])]]
        ) { .dict($0.pairs(0).filter { strict ? $0.1 > k : $0.1 >= k }.map { ($0.0, PyValue.int($0.1)) }) }
    }

    static func keysByValue(ascending: Bool) -> BankProblem {
        let word = ascending ? "ascending" : "descending"
        return bankProblem(
            "dicts/keys_by_value_\(ascending ? "asc" : "desc")", family: family, name: "rank_keys",
            params: [("scores", "dict[str, int]")], returns: "list[str]",
            sentences: ["Return the keys of scores sorted by their values in \(word) order.",
                        "Keys with equal values are ordered alphabetically."],
            facts: [
                .order(ascending: ascending, phrase: "in \(word) order", what: "the keys by value"),
                SpecFact(
                    phrase: "Keys with equal values are ordered alphabetically.", topic: "how to order keys with equal values",
                    options: ["alphabetically", "by insertion"], clarification: "Break ties alphabetically by key."),
            ],
            body: "return sorted(scores, key=lambda k: (\(ascending ? "" : "-")scores[k], k))",
            inputs: sampleDicts.map { [strIntDict($0)] }
        ) { args in
            let sorted = args.pairs(0).sorted { a, b in
                a.1 != b.1 ? (ascending ? a.1 < b.1 : a.1 > b.1) : a.0 < b.0
            }
            return .strs(sorted.map(\.0))
        }
    }

    static func mergeOverride(secondWins: Bool) -> BankProblem {
        let rule = secondWins ? "For a key in both, the value from second is used." : "For a key in both, the value from first is kept."
        return bankProblem(
            "dicts/merge_\(secondWins ? "second" : "first")_wins", family: family, name: "combine",
            params: [("first", "dict[str, int]"), ("second", "dict[str, int]")], returns: "dict[str, int]",
            sentences: ["Return a new dictionary with the entries of first followed by the new keys of second.", rule],
            facts: [SpecFact(
                phrase: rule, opposite: secondWins ? "For a key in both, the value from first is kept."
                    : "For a key in both, the value from second is used.",
                topic: "which value wins for a shared key", options: ["second", "first"], clarification: rule)],
            body: secondWins ? "result = dict(first)\nresult.update(second)\nreturn result"
                : "result = dict(first)\nfor key, value in second.items():\n    result.setdefault(key, value)\nreturn result",
            inputs: [[strIntDict([("a", 1), ("b", 2)]), strIntDict([("b", 9), ("c", 3)])], [strIntDict([]), strIntDict([("x", 1)])],
                     [strIntDict([("k", 5)]), strIntDict([("k", 6)])], [strIntDict([("p", 1)]), strIntDict([])],
                     [strIntDict([("a", 0), ("z", 0)]), strIntDict([("z", 1), ("a", 2)])]]
        ) { args in
            var pairs = args.pairs(0)
            for (key, value) in args.pairs(1) {
                if let i = pairs.firstIndex(where: { $0.0 == key }) { if secondWins { pairs[i].1 = value } }
                else { pairs.append((key, value)) }
            }
            return strIntDict(pairs)
        }
    }

    static func mergeAdd() -> BankProblem {
        bankProblem(
            "dicts/merge_adding", family: family, name: "add_counts",
            params: [("first", "dict[str, int]"), ("second", "dict[str, int]")], returns: "dict[str, int]",
            sentences: ["Return a new dictionary with the keys of first followed by the new keys of second.",
                        "For a key in both, the two values are added."],
            facts: [SpecFact(
                phrase: "the two values are added", vague: "the two values are combined", omission: "both values matter",
                opposite: "the larger value is kept", topic: "how to combine the values of a shared key",
                options: ["add them", "keep one"], clarification: "Add the two values.")],
            body: "result = dict(first)\nfor key, value in second.items():\n    result[key] = result.get(key, 0) + value\nreturn result",
            inputs: [[strIntDict([("a", 1), ("b", 2)]), strIntDict([("b", 9), ("c", 3)])], [strIntDict([]), strIntDict([("x", 1)])],
                     [strIntDict([("k", 5)]), strIntDict([("k", 6)])], [strIntDict([("p", 1)]), strIntDict([])],
                     [strIntDict([("a", 0), ("z", 4)]), strIntDict([("z", 1), ("a", 2)])]]
        ) { args in
            var pairs = args.pairs(0)
            for (key, value) in args.pairs(1) {
                if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 += value } else { pairs.append((key, value)) }
            }
            return strIntDict(pairs)
        }
    }

    static let wordLists: [[String]] = [
        ["ant", "bee", "wasp", "moth", "fly"], ["Apple", "avocado", "Banana", "blueberry"], [], ["x"],
        ["tea", "Tan", "top", "sun"],
    ]

    static func groupByLength() -> BankProblem {
        bankProblem(
            "dicts/group_by_length", family: family, name: "group_by_length", params: [("words", "list[str]")],
            returns: "dict[int, list[str]]",
            sentences: ["Return a dictionary mapping each word length to the words of that length, in their original order.",
                        "Lengths appear in order of first appearance."],
            facts: [SpecFact(
                phrase: ", in their original order", omission: "", opposite: ", in reverse order",
                topic: "the order of the words in each group", options: ["original order", "sorted"],
                clarification: "Keep the words of each group in their original order.")],
            body: "groups = {}\nfor word in words:\n    groups.setdefault(len(word), []).append(word)\nreturn groups",
            inputs: wordLists.map { [.strs($0)] }
        ) { args in
            var groups: [(Int, [String])] = []
            for word in args.strs(0) {
                if let i = groups.firstIndex(where: { $0.0 == word.count }) { groups[i].1.append(word) }
                else { groups.append((word.count, [word])) }
            }
            return .dict(groups.map { PyPair(.int($0.0), .strs($0.1)) })
        }
    }

    static func groupByInitial(lowercaseKeys: Bool) -> BankProblem {
        let rule = lowercaseKeys ? "Keys are lowercase letters, so 'Apple' and 'avocado' share the key 'a'."
            : "Keys are the first characters exactly as written, so 'Apple' and 'avocado' get different keys."
        return bankProblem(
            "dicts/group_by_initial_\(lowercaseKeys ? "ci" : "cs")", family: family, name: "group_by_initial",
            params: [("words", "list[str]")], returns: "dict[str, list[str]]",
            sentences: ["Return a dictionary mapping each first letter to the words that start with it, in their original order.",
                        rule, "Empty words are skipped."],
            facts: [SpecFact(
                phrase: rule, topic: "whether first letters are compared ignoring case",
                options: ["ignore case", "case-sensitive"], clarification: rule)],
            body: "groups = {}\nfor word in words:\n    if word:\n        groups.setdefault(word[0]\(lowercaseKeys ? ".lower()" : ""), []).append(word)\nreturn groups",
            inputs: wordLists.map { [.strs($0)] } + [[.strs(["", "Bo", "b"])]]
        ) { args in
            var groups: [(String, [String])] = []
            for word in args.strs(0) where !word.isEmpty {
                let key = lowercaseKeys ? String(word.prefix(1)).lowercased() : String(word.prefix(1))
                if let i = groups.firstIndex(where: { $0.0 == key }) { groups[i].1.append(word) } else { groups.append((key, [word])) }
            }
            return .dict(groups.map { ($0.0, PyValue.strs($0.1)) })
        }
    }

    static func letterFrequencies() -> BankProblem {
        bankProblem(
            "dicts/letter_frequencies", family: family, name: "letter_frequencies", params: [("text", "str")],
            returns: "dict[str, int]",
            sentences: ["Return a dictionary mapping each character of text to its number of occurrences, in order of first appearance.",
                        "Spaces are not counted."],
            facts: [SpecFact(
                phrase: "Spaces are not counted.", opposite: "Spaces are counted too.", topic: "whether spaces are counted",
                options: ["skip spaces", "count them"], clarification: "Do not count spaces.")],
            body: "counts = {}\nfor c in text:\n    if c != ' ':\n        counts[c] = counts.get(c, 0) + 1\nreturn counts",
            inputs: [["hello world"], ["aaa"], [""], ["a b a"], ["Aa"]]
        ) { args in
            var pairs: [(String, Int)] = []
            for c in args.str(0) where c != " " {
                if let i = pairs.firstIndex(where: { $0.0 == String(c) }) { pairs[i].1 += 1 } else { pairs.append((String(c), 1)) }
            }
            return strIntDict(pairs)
        }
    }

    static func keysAbove(_ k: Int) -> BankProblem {
        bankProblem(
            "dicts/count_keys_above_\(k)", family: family, name: "count_high_scores",
            params: [("scores", "dict[str, int]")], returns: "int",
            sentences: ["Return how many keys of scores have a value strictly greater than \(k)."],
            facts: [SpecFact(
                phrase: "strictly greater than \(k)", vague: "bigger than \(k)", opposite: "strictly less than \(k)",
                topic: "whether a value equal to \(k) counts", options: ["strictly greater", "greater or equal"],
                clarification: "Count only values strictly greater than \(k).")],
            body: "return sum(1 for value in scores.values() if value > \(k))",
            inputs: sampleDicts.map { [strIntDict($0)] } + [[strIntDict([("e", k), ("f", k + 1)])]]
        ) { .int($0.pairs(0).filter { $0.1 > k }.count) }
    }
}
