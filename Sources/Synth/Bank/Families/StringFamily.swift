/// String problems: counting letters with or without case, word order, shifting letters,
/// longest/shortest word with a tie-breaking rule, palindromes.
///
/// The facts are the distinctions a vague request leaves open: case sensitivity, whether
/// 'y' is a vowel, first or last on ties, the shift amount and direction, strict or inclusive
/// length bounds.
enum StringFamily {
    static let family = "strings"

    static func problems() -> [BankProblem] {
        var result: [BankProblem] = []
        for caseSensitive in [true, false] { for withY in [true, false] {
            result.append(countVowels(caseSensitive: caseSensitive, withY: withY))
        } }
        for letter in ["a", "e", "s"] { for caseSensitive in [true, false] {
            result.append(countLetter(letter, caseSensitive: caseSensitive))
        } }
        for shift in [1, 3, 13, -1, -2, 5] { result.append(caesar(shift)) }
        for longest in [true, false] { for first in [true, false] {
            result.append(extremeWord(longest: longest, firstOnTie: first))
        } }
        for k in [3, 4] { for strict in [true, false] { result.append(longWords(k: k, strict: strict)) } }
        for ignoreCase in [true, false] { result.append(palindrome(ignoreCase: ignoreCase)) }
        for alphabetical in [true, false] { result.append(mostCommon(alphabeticalTie: alphabetical)) }
        for letter in ["a", "t"] { for sorted in [true, false] {
            result.append(wordsStarting(letter, sorted: sorted))
        } }
        for k in [2, 3] { result.append(repeatChars(k)) }
        for separator in ["_", "-"] { result.append(replaceSpaces(separator)) }
        result.append(reverseWordOrder())
        result.append(reverseEachWord())
        result.append(capitalizeWords())
        for upper in [true, false] { result.append(countCase(upper: upper)) }
        return result
    }

    static func textInputs(_ id: String, fixed: [String], words: Bool = true) -> [[PyValue]] {
        var draw = InputDraw(id)
        var inputs = fixed.map { [PyValue.str($0)] }
        inputs.append([.str("")])
        for _ in 0..<4 {
            let text = words ? draw.words(count: 1...5).joined(separator: " ") : draw.word(length: 1...9)
            inputs.append([.str(text)])
        }
        return inputs
    }

    static func countVowels(caseSensitive: Bool, withY: Bool) -> BankProblem {
        let vowels = withY ? "aeiouy" : "aeiou"
        let letters = withY ? "'a', 'e', 'i', 'o', 'u' and 'y'" : "'a', 'e', 'i', 'o' and 'u'"
        let caseRule = caseSensitive ? "Only lowercase letters count; uppercase vowels are ignored."
            : "Uppercase and lowercase vowels both count."
        let name = "vowels_\(caseSensitive ? "cs" : "ci")_\(withY ? "y" : "no_y")"
        let body = caseSensitive ? "return sum(1 for c in text if c in '\(vowels)')"
            : "return sum(1 for c in text.lower() if c in '\(vowels)')"
        return bankProblem(
            "strings/\(name)", family: family, name: "count_vowels", params: [("text", "str")], returns: "int",
            sentences: ["Return the number of vowels in text, where the vowels are \(letters).", caseRule],
            facts: [
                SpecFact(
                    phrase: ", where the vowels are \(letters)", omission: "", topic: "which letters count as vowels",
                    options: ["a, e, i, o, u", "a, e, i, o, u and y"],
                    clarification: "The vowels are \(letters)."),
                SpecFact(
                    phrase: caseRule, topic: "whether uppercase vowels count",
                    options: ["case-sensitive", "case-insensitive"], clarification: caseRule),
            ],
            body: body, inputs: textInputs(name, fixed: ["Happy Day", "AEIOU yes", "rhythm"])
        ) { args in
            let text = caseSensitive ? args.str(0) : args.str(0).lowercased()
            return .int(text.filter { vowels.contains($0) }.count)
        }
    }

    static func countLetter(_ letter: String, caseSensitive: Bool) -> BankProblem {
        let rule = caseSensitive ? "The count is case-sensitive: '\(letter.uppercased())' does not count."
            : "The count ignores case: '\(letter.uppercased())' counts too."
        return bankProblem(
            "strings/count_\(letter)_\(caseSensitive ? "cs" : "ci")", family: family, name: "count_letter",
            params: [("text", "str")], returns: "int",
            sentences: ["Return how many times the letter '\(letter)' occurs in text.", rule],
            facts: [
                SpecFact(
                    phrase: rule, topic: "whether the uppercase letter counts", options: ["case-sensitive", "case-insensitive"],
                    clarification: rule),
                SpecFact(
                    phrase: "the letter '\(letter)'", vague: "a certain letter", omission: "a letter",
                    topic: "which letter to count", options: ["'\(letter)'"], clarification: "Count the letter '\(letter)'."),
            ],
            body: caseSensitive ? "return text.count('\(letter)')" : "return text.lower().count('\(letter)')",
            inputs: textInputs("count\(letter)\(caseSensitive)",
                               fixed: ["\(letter.uppercased())b\(letter)c\(letter)", "Seas and \(letter.uppercased())sters"])
        ) { args in
            let text = caseSensitive ? args.str(0) : args.str(0).lowercased()
            return .int(text.filter { String($0) == letter }.count)
        }
    }

    static func caesar(_ shift: Int) -> BankProblem {
        let direction = shift > 0 ? "forward" : "backward"
        let amount = abs(shift)
        let phrase = "shifted \(amount) place\(amount == 1 ? "" : "s") \(direction) in the alphabet"
        return bankProblem(
            "strings/shift_\(direction)_\(amount)", family: family, name: "shift_letters",
            params: [("text", "str")], returns: "str",
            sentences: ["Return text with every lowercase letter \(phrase), wrapping from 'z' to 'a' and back.",
                        "Other characters are left unchanged."],
            facts: [SpecFact(
                phrase: phrase, vague: "shifted in the alphabet", omission: "changed",
                opposite: "shifted \(amount) place\(amount == 1 ? "" : "s") \(shift > 0 ? "backward" : "forward") in the alphabet",
                topic: "how far and in which direction to shift", options: ["\(amount) \(direction)"],
                clarification: "Shift each letter \(amount) place\(amount == 1 ? "" : "s") \(direction).")],
            body: "return ''.join(chr((ord(c) - 97 + (\(shift))) % 26 + 97) if 'a' <= c <= 'z' else c for c in text)",
            inputs: textInputs("caesar\(shift)", fixed: ["abc xyz", "hello, World!"])
        ) { args in
            .str(String(args.str(0).unicodeScalars.map { scalar -> Character in
                guard scalar.value >= 97, scalar.value <= 122 else { return Character(scalar) }
                return Character(UnicodeScalar(UInt8(pyMod(Int(scalar.value) - 97 + shift, 26) + 97)))
            }))
        }
    }

    static func extremeWord(longest: Bool, firstOnTie: Bool) -> BankProblem {
        let size = longest ? "longest" : "shortest"
        let tie = firstOnTie ? "first" : "last"
        let tieRule = "If several words tie, return the \(tie) of them."
        let compare = longest ? (firstOnTie ? ">" : ">=") : (firstOnTie ? "<" : "<=")
        return bankProblem(
            "strings/\(size)_word_\(tie)", family: family, name: "\(size)_word",
            params: [("sentence", "str")], returns: "str",
            sentences: ["Return the \(size) word of sentence, where words are separated by single spaces.", tieRule,
                        "An empty sentence gives an empty string."],
            facts: [
                SpecFact(
                    phrase: tieRule, opposite: "If several words tie, return the \(firstOnTie ? "last" : "first") of them.",
                    topic: "which word to return on a tie", options: ["the first", "the last"], clarification: tieRule),
                SpecFact(
                    phrase: "the \(size) word", vague: "the word of extreme length",
                    opposite: "the \(longest ? "shortest" : "longest") word",
                    topic: "whether the longest or the shortest word is wanted", options: ["longest", "shortest"],
                    clarification: "Return the \(size) word."),
            ],
            body: "best = ''\nfor i, word in enumerate(sentence.split(' ') if sentence else []):\n    if i == 0 or len(word) \(compare) len(best):\n        best = word\nreturn best",
            inputs: textInputs("xw\(size)\(tie)", fixed: ["the cat sat on a mat", "one three seven"])
        ) { args in
            let words = args.str(0).isEmpty ? [] : args.str(0).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            var best = ""
            for (i, word) in words.enumerated() {
                let better: Bool
                switch compare {
                case ">": better = word.count > best.count
                case ">=": better = word.count >= best.count
                case "<": better = word.count < best.count
                default: better = word.count <= best.count
                }
                if i == 0 || better { best = word }
            }
            return .str(best)
        }
    }

    static func longWords(k: Int, strict: Bool) -> BankProblem {
        let relation = strict ? "more than \(k) letters" : "at least \(k) letters"
        return bankProblem(
            "strings/long_words_\(strict ? "gt" : "ge")_\(k)", family: family, name: "count_long_words",
            params: [("sentence", "str")], returns: "int",
            sentences: ["Return how many words of sentence have \(relation).", "Words are separated by spaces."],
            facts: [SpecFact(
                phrase: relation, vague: "about \(k) letters or more", omission: "many letters",
                opposite: strict ? "fewer than \(k) letters" : "at most \(k) letters",
                topic: "the length threshold and whether words of exactly \(k) letters count",
                options: ["more than \(k)", "\(k) or more"], clarification: "Count the words with \(relation).")],
            body: "return sum(1 for word in sentence.split() if len(word) \(strict ? ">" : ">=") \(k))",
            inputs: textInputs("long\(k)\(strict)", fixed: ["tree bush oak maple", "a bb ccc dddd eeeee"])
        ) { args in
            .int(args.str(0).split(separator: " ").filter { strict ? $0.count > k : $0.count >= k }.count)
        }
    }

    static func palindrome(ignoreCase: Bool) -> BankProblem {
        let rule = ignoreCase ? "Uppercase and lowercase letters are treated as equal."
            : "The comparison is case-sensitive, so 'A' and 'a' differ."
        return bankProblem(
            "strings/palindrome_\(ignoreCase ? "ci" : "cs")", family: family, name: "reads_same_backwards",
            params: [("word", "str")], returns: "bool",
            sentences: ["Return True if word reads the same forwards and backwards, otherwise False.", rule],
            facts: [SpecFact(
                phrase: rule, topic: "whether the check ignores case", options: ["ignore case", "case-sensitive"],
                clarification: rule)],
            body: ignoreCase ? "return word.lower() == word.lower()[::-1]" : "return word == word[::-1]",
            inputs: textInputs("pal\(ignoreCase)", fixed: ["Level", "noon", "abca", "Abba"], words: false)
        ) { args in
            let text = ignoreCase ? args.str(0).lowercased() : args.str(0)
            return .bool(text == String(text.reversed()))
        }
    }

    static func mostCommon(alphabeticalTie: Bool) -> BankProblem {
        let tieRule = alphabeticalTie ? "If several letters tie, return the one that comes first in the alphabet."
            : "If several letters tie, return the one that appears first in text."
        let body = alphabeticalTie
            ? "return min(set(text), key=lambda c: (-text.count(c), c))"
            : "return max(text, key=text.count)"
        return bankProblem(
            "strings/most_common_\(alphabeticalTie ? "alphabetical" : "first_seen")", family: family,
            name: "most_common_letter", params: [("text", "str")], returns: "str",
            sentences: ["Return the letter that occurs most often in text, a non-empty string of lowercase letters.",
                        tieRule],
            facts: [SpecFact(
                phrase: tieRule, topic: "how to break a tie between equally common letters",
                options: ["alphabetical order", "first appearance"], clarification: tieRule)],
            body: body,
            inputs: [["banana"], ["cbab"], ["zyx"], ["mississippi"], ["dcdc"], ["q"], ["abcabcc"]]
        ) { args in
            let text = Array(args.str(0))
            let best = text.map { c in text.filter { $0 == c }.count }.max() ?? 0
            let tied = text.filter { c in text.filter { $0 == c }.count == best }
            return .str(String(alphabeticalTie ? tied.min()! : tied.first!))
        }
    }

    static func wordsStarting(_ letter: String, sorted: Bool) -> BankProblem {
        let order = sorted ? "sorted alphabetically" : "in the order they appear"
        return bankProblem(
            "strings/words_starting_\(letter)_\(sorted ? "sorted" : "ordered")", family: family,
            name: "words_starting_with", params: [("words", "list[str]")], returns: "list[str]",
            sentences: ["Return the words that start with the letter '\(letter)', \(order).",
                        "Words are lowercase."],
            facts: [
                SpecFact(
                    phrase: ", \(order)", omission: "", opposite: sorted ? ", in the order they appear" : ", sorted alphabetically",
                    topic: "the order of the result", options: ["alphabetical", "input order"],
                    clarification: "Return them \(order)."),
                SpecFact(
                    phrase: "start with the letter '\(letter)'", vague: "contain the letter '\(letter)'", omission: "qualify",
                    opposite: "end with the letter '\(letter)'", topic: "where the letter must appear",
                    options: ["at the start", "anywhere"], clarification: "The word must start with '\(letter)'."),
            ],
            body: sorted ? "return sorted(w for w in words if w.startswith('\(letter)'))"
                : "return [w for w in words if w.startswith('\(letter)')]",
            inputs: [[.strs(["\(letter)pple", "b\(letter)r", "\(letter)b", "c"])], [.strs(["z\(letter)", "\(letter)z", "\(letter)a"])],
                     [.strs([])], [.strs(["\(letter)", "x", "\(letter)\(letter)"])], [.strs(["\(letter)c", "\(letter)b", "k\(letter)"])]]
        ) { args in
            let kept = args.strs(0).filter { $0.hasPrefix(letter) }
            return .strs(sorted ? kept.sorted() : kept)
        }
    }

    static func repeatChars(_ k: Int) -> BankProblem {
        bankProblem(
            "strings/repeat_each_\(k)", family: family, name: "stretch", params: [("text", "str")], returns: "str",
            sentences: ["Return text with every character repeated \(k) times in place."],
            facts: [SpecFact(
                phrase: "repeated \(k) times", vague: "repeated", omission: "repeated", topic: "how many times to repeat",
                options: ["\(k)"], clarification: "Each character appears \(k) times in a row.")],
            body: "return ''.join(c * \(k) for c in text)",
            inputs: textInputs("rep\(k)", fixed: ["ab", "x y"])
        ) { .str(String($0.str(0).flatMap { Array(repeating: $0, count: k) })) }
    }

    static func replaceSpaces(_ separator: String) -> BankProblem {
        bankProblem(
            "strings/spaces_to_\(separator == "_" ? "underscore" : "dash")", family: family, name: "join_words",
            params: [("text", "str")], returns: "str",
            sentences: ["Return text with every space replaced by '\(separator)'."],
            facts: [SpecFact(
                phrase: "replaced by '\(separator)'", vague: "replaced by a separator", omission: "replaced",
                opposite: "removed", topic: "the replacement character", options: ["'\(separator)'"],
                clarification: "Replace each space with '\(separator)'.")],
            body: "return text.replace(' ', '\(separator)')", inputs: textInputs("sp\(separator)", fixed: ["a b c", "two  spaces"])
        ) { .str($0.str(0).replacingOccurrences(of: " ", with: separator)) }
    }

    static func reverseWordOrder() -> BankProblem {
        bankProblem(
            "strings/reverse_word_order", family: family, name: "backwards_sentence",
            params: [("sentence", "str")], returns: "str",
            sentences: ["Return the words of sentence in reverse order, joined by single spaces.",
                        "The letters inside each word keep their order."],
            facts: [SpecFact(
                phrase: "in reverse order", vague: "in a different order", omission: "", opposite: "in alphabetical order",
                topic: "how to reorder the words", options: ["reversed", "sorted"],
                clarification: "Put the words in reverse order."), SpecFact(
                phrase: "The letters inside each word keep their order.", topic: "whether the letters of each word are reversed too",
                options: ["only the word order", "the letters too"], clarification: "Only the order of the words changes.")],
            body: "return ' '.join(reversed(sentence.split()))",
            inputs: textInputs("revorder", fixed: ["one two three", "hello"])
        ) { .str($0.str(0).split(separator: " ").reversed().joined(separator: " ")) }
    }

    static func reverseEachWord() -> BankProblem {
        bankProblem(
            "strings/reverse_each_word", family: family, name: "mirror_words", params: [("sentence", "str")],
            returns: "str",
            sentences: ["Return sentence with the letters of each word reversed, keeping the words in their order.",
                        "Words are separated by single spaces."],
            facts: [SpecFact(
                phrase: ", keeping the words in their order", vague: ", with the words in some order", omission: "", opposite: ", and the words in reverse order",
                topic: "whether the word order changes", options: ["keep the word order", "reverse it too"],
                clarification: "Keep the words in their original order.")],
            body: "return ' '.join(word[::-1] for word in sentence.split(' '))",
            inputs: textInputs("reveach", fixed: ["abc de", "stop pots"])
        ) { .str($0.str(0).split(separator: " ", omittingEmptySubsequences: false).map { String($0.reversed()) }.joined(separator: " ")) }
    }

    static func capitalizeWords() -> BankProblem {
        bankProblem(
            "strings/capitalize_words", family: family, name: "headline", params: [("sentence", "str")], returns: "str",
            sentences: ["Return sentence with the first letter of every word in uppercase and the rest unchanged.",
                        "Words are separated by single spaces."],
            facts: [SpecFact(
                phrase: "and the rest unchanged", omission: "", opposite: "and the rest in lowercase",
                topic: "what happens to the other letters", options: ["unchanged", "lowercased"],
                clarification: "Leave the other letters exactly as they are.")],
            body: "return ' '.join(w[:1].upper() + w[1:] for w in sentence.split(' '))",
            inputs: textInputs("cap", fixed: ["hello wORLD", "a b"])
        ) { .str($0.str(0).split(separator: " ", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")) }
    }

    static func countCase(upper: Bool) -> BankProblem {
        let which = upper ? "uppercase" : "lowercase"
        return bankProblem(
            "strings/count_\(which)", family: family, name: "count_\(which)", params: [("text", "str")], returns: "int",
            sentences: ["Return the number of \(which) letters in text."],
            facts: [SpecFact(
                phrase: "\(which) letters", vague: "letters of one case", omission: "letters",
                opposite: "\(upper ? "lowercase" : "uppercase") letters", topic: "which letters to count",
                options: [which, upper ? "lowercase" : "uppercase"], clarification: "Count only the \(which) letters.")],
            body: "return sum(1 for c in text if c.\(upper ? "isupper" : "islower")())",
            inputs: textInputs("case\(upper)", fixed: ["Hello World", "ABC def 1"])
        ) { args in .int(args.str(0).filter { upper ? ($0.isUppercase && $0.isLetter) : ($0.isLowercase && $0.isLetter) }.count) }
    }
}
