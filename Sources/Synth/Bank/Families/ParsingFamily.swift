/// Parsing small text formats: `key=value` pairs, separated numbers, clock times, version
/// strings, number ranges, identifier styles.
///
/// The facts are the separators, what a malformed or empty piece means, and padding rules.
enum ParsingFamily {
    static let family = "parsing"

    static func problems() -> [BankProblem] {
        var result: [BankProblem] = []
        for separator in [";", ",", "&"] { result.append(keyValues(separator)) }
        for separator in [",", "+", "|"] { result.append(sumNumbers(separator)) }
        for skipBlank in [true, false] { result.append(countFields(skipBlank: skipBlank)) }
        result.append(clockToMinutes())
        for padded in [true, false] { result.append(minutesToClock(padded: padded)) }
        result.append(compareVersions())
        for inclusive in [true, false] { result.append(expandRanges(inclusive: inclusive)) }
        result.append(digitsOf())
        result.append(snakeToCamel())
        result.append(camelToSnake())
        for largest in [true, false] { result.append(extremeField(largest: largest)) }
        return result
    }

    static func keyValues(_ separator: String) -> BankProblem {
        bankProblem(
            "parsing/key_values_\(["; ": "semicolon", ",": "comma", "&": "ampersand"][separator] ?? "sep")",
            family: family, name: "parse_settings", params: [("text", "str")], returns: "dict[str, int]",
            sentences: ["Parse text made of 'key=value' pairs separated by '\(separator)' into a dictionary with integer values.",
                        "Empty pieces are ignored, and a repeated key keeps its last value."],
            facts: [
                SpecFact(
                    phrase: "separated by '\(separator)'", vague: "separated by a delimiter", omission: "",
                    topic: "which character separates the pairs", options: ["'\(separator)'"],
                    clarification: "Pairs are separated by '\(separator)'."),
                SpecFact(
                    phrase: "a repeated key keeps its last value", vague: "a repeated key keeps one value",
                    opposite: "a repeated key keeps its first value", topic: "which value a repeated key keeps",
                    options: ["the last", "the first"], clarification: "A repeated key keeps its last value."),
            ],
            body: "result = {}\nfor piece in text.split('\(separator)'):\n    if piece:\n        key, value = piece.split('=')\n        result[key] = int(value)\nreturn result",
            inputs: [["a=1\(separator)b=22"], ["x=5\(separator)\(separator)y=-3\(separator)x=7"], [""], ["n=0"], ["p=1\(separator)q=2\(separator)p=3\(separator)"]]
        ) { args in
            var pairs: [(String, Int)] = []
            for piece in args.str(0).split(separator: Character(separator), omittingEmptySubsequences: true) {
                let parts = piece.split(separator: "=", maxSplits: 1).map(String.init)
                let value = Int(parts[1])!
                if let i = pairs.firstIndex(where: { $0.0 == parts[0] }) { pairs[i].1 = value } else { pairs.append((parts[0], value)) }
            }
            return strIntDict(pairs)
        }
    }

    static func sumNumbers(_ separator: String) -> BankProblem {
        bankProblem(
            "parsing/sum_\(["," : "comma", "+": "plus", "|": "bar"][separator] ?? "sep")_separated",
            family: family, name: "total_of_text", params: [("text", "str")], returns: "int",
            sentences: ["Return the sum of the integers in text, which are separated by '\(separator)' and may have spaces around them.",
                        "An empty text gives 0."],
            facts: [SpecFact(
                phrase: "separated by '\(separator)'", vague: "separated somehow", omission: "listed",
                topic: "the separator between numbers", options: ["'\(separator)'"],
                clarification: "The numbers are separated by '\(separator)'.")],
            body: "if not text.strip():\n    return 0\nreturn sum(int(part) for part in text.split('\(separator)'))",
            inputs: [["1\(separator)2\(separator)3"], [" 10 \(separator) -4"], [""], ["7"], ["0\(separator)0\(separator)5"]]
        ) { args in
            let text = args.str(0)
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return 0 }
            return .int(text.split(separator: Character(separator), omittingEmptySubsequences: false)
                .map { Int($0.trimmingCharacters(in: .whitespaces))! }.reduce(0, +))
        }
    }

    static func countFields(skipBlank: Bool) -> BankProblem {
        let rule = skipBlank ? "Fields that are empty or only spaces are not counted." : "Every field counts, even an empty one."
        return bankProblem(
            "parsing/count_fields_\(skipBlank ? "non_blank" : "all")", family: family, name: "count_fields",
            params: [("line", "str")], returns: "int",
            sentences: ["Return the number of comma-separated fields in line.", rule],
            facts: [
                SpecFact(
                    phrase: rule, opposite: skipBlank ? "Every field counts, even an empty one." : "Fields that are empty or only spaces are not counted.",
                    topic: "whether empty fields count", options: ["skip them", "count them"], clarification: rule),
                SpecFact(
                    phrase: "comma-separated", vague: "separated", omission: "", topic: "which character separates the fields",
                    options: ["a comma", "whitespace"], clarification: "Fields are separated by commas."),
            ],
            body: skipBlank ? "return sum(1 for field in line.split(',') if field.strip())" : "return len(line.split(','))",
            inputs: [["a,b,,c"], ["one"], [""], [" , x"], ["1,2,3,4"]]
        ) { args in
            let fields = args.str(0).split(separator: ",", omittingEmptySubsequences: false)
            return .int(skipBlank ? fields.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count : fields.count)
        }
    }

    static func clockToMinutes() -> BankProblem {
        bankProblem(
            "parsing/clock_to_minutes", family: family, name: "minutes_since_midnight", params: [("clock", "str")],
            returns: "int",
            sentences: ["Return the number of minutes since midnight for clock, a 24-hour time written 'HH:MM'."],
            facts: [SpecFact(
                phrase: "a 24-hour time written 'HH:MM'", vague: "a time of day", omission: "a time",
                topic: "the format of the time", options: ["24-hour 'HH:MM'", "12-hour with am/pm"],
                clarification: "The time is in 24-hour 'HH:MM' format.")],
            body: "hours, minutes = clock.split(':')\nreturn int(hours) * 60 + int(minutes)",
            inputs: [["01:30"], ["00:00"], ["23:59"], ["12:05"], ["09:41"]]
        ) { args in
            let parts = args.str(0).split(separator: ":").map { Int($0)! }
            return .int(parts[0] * 60 + parts[1])
        }
    }

    static func minutesToClock(padded: Bool) -> BankProblem {
        let rule = padded ? "Both hours and minutes are written with two digits, e.g. '07:05'."
            : "Hours have no leading zero and minutes have two digits, e.g. '7:05'."
        return bankProblem(
            "parsing/minutes_to_clock_\(padded ? "padded" : "unpadded")", family: family, name: "clock_text",
            params: [("minutes", "int")], returns: "str",
            sentences: ["Return the 24-hour clock time that is minutes after midnight, for minutes between 0 and 1439.", rule],
            facts: [
                SpecFact(
                    phrase: rule, topic: "how to pad the hours", options: ["two-digit hours", "no leading zero"],
                    clarification: rule),
                SpecFact(
                    phrase: "24-hour clock time", vague: "clock time", opposite: "12-hour clock time",
                    topic: "whether to use the 24-hour or the 12-hour clock", options: ["24-hour", "12-hour"],
                    clarification: "Use the 24-hour clock."),
            ],
            body: padded ? "return f'{minutes // 60:02d}:{minutes % 60:02d}'" : "return f'{minutes // 60}:{minutes % 60:02d}'",
            inputs: [[425], [0], [1439], [60], [613]]
        ) { args in
            let m = args.int(0)
            let hours = padded && m / 60 < 10 ? "0\(m / 60)" : "\(m / 60)"
            return .str(hours + ":" + (m % 60 < 10 ? "0" : "") + "\(m % 60)")
        }
    }

    static func compareVersions() -> BankProblem {
        bankProblem(
            "parsing/compare_versions", family: family, name: "version_order", params: [("a", "str"), ("b", "str")],
            returns: "int",
            sentences: ["Compare the dotted version strings a and b numerically, part by part, where missing parts count as 0.",
                        "Return -1 if a is older, 1 if a is newer and 0 if they are equal."],
            facts: [SpecFact(
                phrase: "numerically, part by part", vague: "", omission: "",
                topic: "whether parts compare as numbers or as text", options: ["numerically", "as text"],
                clarification: "Compare each part as a number, so '10' is newer than '9'.")],
            body: "x = [int(p) for p in a.split('.')]\ny = [int(p) for p in b.split('.')]\nwidth = max(len(x), len(y))\nx += [0] * (width - len(x))\ny += [0] * (width - len(y))\nreturn (x > y) - (x < y)",
            inputs: [["1.2", "1.10"], ["2.0", "2"], ["3.1.4", "3.1"], ["0.9", "0.10"], ["5", "4.99"]]
        ) { args in
            var x = args.str(0).split(separator: ".").map { Int($0)! }, y = args.str(1).split(separator: ".").map { Int($0)! }
            let width = max(x.count, y.count)
            x += Array(repeating: 0, count: width - x.count); y += Array(repeating: 0, count: width - y.count)
            return .int(x == y ? 0 : x.lexicographicallyPrecedes(y) ? -1 : 1)
        }
    }

    static func expandRanges(inclusive: Bool) -> BankProblem {
        let rule = inclusive ? "A range 'a-b' includes both a and b." : "A range 'a-b' includes a but not b."
        return bankProblem(
            "parsing/expand_ranges_\(inclusive ? "inclusive" : "half_open")", family: family, name: "expand_ranges",
            params: [("spec", "str")], returns: "list[int]",
            sentences: ["Expand spec, comma-separated non-negative numbers and ranges 'a-b' with a <= b, into the list of numbers in order.", rule],
            facts: [SpecFact(
                phrase: rule, opposite: inclusive ? "A range 'a-b' includes a but not b." : "A range 'a-b' includes both a and b.",
                topic: "whether the end of a range is included", options: ["inclusive", "excluding the end"], clarification: rule)],
            body: "result = []\nfor part in spec.split(','):\n    if '-' in part:\n        low, high = part.split('-')\n        result.extend(range(int(low), int(high)\(inclusive ? " + 1" : "")))\n    else:\n        result.append(int(part))\nreturn result",
            inputs: [["1-3,7"], ["5"], ["2-2,4-6"], ["0-1,9,10-12"], ["8,3"]]
        ) { args in
            var result: [Int] = []
            for part in args.str(0).split(separator: ",") {
                let bounds = part.split(separator: "-").map { Int($0)! }
                if bounds.count == 2 {
                    let upper = inclusive ? bounds[1] : bounds[1] - 1
                    if bounds[0] <= upper { result += Array(bounds[0]...upper) }
                } else { result.append(bounds[0]) }
            }
            return .ints(result)
        }
    }

    static func digitsOf() -> BankProblem {
        bankProblem(
            "parsing/digits_in_text", family: family, name: "digits_in", params: [("text", "str")], returns: "list[int]",
            sentences: ["Return the digits that appear in text, each as an integer, in the order they appear."],
            facts: [SpecFact(
                phrase: ", in the order they appear", omission: "", opposite: ", in ascending order",
                topic: "the order of the digits", options: ["text order", "sorted"],
                clarification: "Keep the digits in the order they appear in text.")],
            body: "return [int(c) for c in text if c.isdigit()]",
            inputs: [["a1b22c3"], ["none"], [""], ["9 to 5"], ["2026-11-26"]]
        ) { .ints($0.str(0).compactMap { $0.isASCII ? $0.wholeNumberValue : nil }) }
    }

    static func snakeToCamel() -> BankProblem {
        bankProblem(
            "parsing/snake_to_camel", family: family, name: "to_camel", params: [("name", "str")], returns: "str",
            sentences: ["Convert the snake_case identifier name to camelCase: the first word stays lowercase and every later word starts with an uppercase letter."],
            facts: [SpecFact(
                phrase: "the first word stays lowercase", vague: "the first word is handled normally",
                opposite: "the first word is capitalised too", topic: "whether the first word is capitalised",
                options: ["lowercase (camelCase)", "capitalised (PascalCase)"],
                clarification: "Keep the first word lowercase.")],
            body: "words = name.split('_')\nreturn words[0] + ''.join(w.capitalize() for w in words[1:])",
            inputs: [["user_name"], ["x"], ["make_it_work"], ["a_b_c"], ["http_get"]]
        ) { args in
            let words = args.str(0).split(separator: "_", omittingEmptySubsequences: false).map(String.init)
            return .str(words[0] + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined())
        }
    }

    static func camelToSnake() -> BankProblem {
        bankProblem(
            "parsing/camel_to_snake", family: family, name: "to_snake", params: [("name", "str")], returns: "str",
            sentences: ["Convert the camelCase identifier name to snake_case: put '_' before every uppercase letter and make it lowercase."],
            facts: [SpecFact(
                phrase: "put '_' before every uppercase letter", vague: "separate the words",
                opposite: "put '-' before every uppercase letter", topic: "the separator to insert",
                options: ["'_'", "'-'"], clarification: "Insert '_' before each uppercase letter.")],
            body: "return ''.join('_' + c.lower() if c.isupper() else c for c in name)",
            inputs: [["userName"], ["x"], ["makeItWork"], ["aBC"], ["httpGet"]]
        ) { .str($0.str(0).map { $0.isUppercase ? "_" + $0.lowercased() : String($0) }.joined()) }
    }

    static func extremeField(largest: Bool) -> BankProblem {
        let size = largest ? "largest" : "smallest"
        return bankProblem(
            "parsing/\(size)_field", family: family, name: "\(size)_number", params: [("line", "str")], returns: "int | None",
            sentences: ["Return the \(size) integer in line, a list of integers separated by commas.",
                        "An empty line gives None."],
            facts: [
                SpecFact(
                    phrase: "the \(size) integer", vague: "the extreme integer", opposite: "the \(largest ? "smallest" : "largest") integer",
                    topic: "whether the largest or smallest is wanted", options: ["largest", "smallest"],
                    clarification: "Return the \(size) one."),
                SpecFact.empty(sentence: "An empty line gives None.", answer: "Return None for an empty line."),
            ],
            body: "if not line:\n    return None\nreturn \(largest ? "max" : "min")(int(part) for part in line.split(','))",
            inputs: [["3,-7,12"], ["5"], [""], ["0,0"], ["-1,-2,-3"]]
        ) { args in
            let values = args.str(0).split(separator: ",").map { Int($0)! }
            return .optional(largest ? values.max() : values.min())
        }
    }
}
