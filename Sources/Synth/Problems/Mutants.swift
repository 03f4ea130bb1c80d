import Foundation

/// Simple wrong solutions of a problem, made from its reference, that its tests must reject: if a
/// test suite passes `return 0` or the reference with `<` flipped to `<=`, it does not pin the
/// function down (the mutation-testing check of self-instruct pipelines with execution feedback).
///
/// Mutations are textual, one per mutant, outside string literals and comments, and keep the code
/// parseable: comparisons flipped (`<` ↔ `<=`, `>` ↔ `>=`, `==` ↔ `!=`), `+` ↔ `-` between
/// operands, `and` ↔ `or`, `min` ↔ `max`, `True` ↔ `False`, and integer constants off by one.
public struct Mutant: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The whole body replaced by `return <constant>`.
        case constantReturn = "constant_return"
        /// One operator or constant changed.
        case operatorChange = "operator_change"
    }

    public var kind: Kind
    /// What changed, for the ledger (`line 3: < → <=`, `return None`).
    public var change: String
    /// The mutated body (a completion of the problem's prompt).
    public var solution: String
}

public enum MutantMaker {
    /// Constant returns tried on every problem.
    static let constants = ["None", "0", "1", "''", "[]", "False", "True"]

    /// Up to `limit` operator mutants (spread over the body) and every constant return.
    public static func mutants(of solution: String, limit: Int = 8) -> [Mutant] {
        let indent = solution.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { String($0.prefix { $0 == " " || $0 == "\t" }) } ?? "    "
        var result = constants.map {
            Mutant(kind: .constantReturn, change: "return \($0)", solution: indent + "return \($0)\n")
        }
        let sites = self.sites(in: solution)
        let chosen: [Site]
        if sites.count <= limit {
            chosen = sites
        } else {
            chosen = (0..<limit).map { sites[$0 * sites.count / limit] }
        }
        for site in chosen {
            var text = Array(solution.unicodeScalars)
            text.replaceSubrange(site.range, with: site.replacement.unicodeScalars)
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text)
            let line = solution.unicodeScalars.prefix(site.range.lowerBound).filter { $0 == "\n" }.count + 1
            result.append(
                Mutant(
                    kind: .operatorChange, change: "line \(line): \(site.original) → \(site.replacement)",
                    solution: String(scalars)))
        }
        return result
    }

    struct Site: Hashable {
        var range: Range<Int>
        var original: String
        var replacement: String
    }

    static let swaps: [(String, String)] = [
        ("<=", "<"), (">=", ">"), ("==", "!="), ("!=", "=="), ("<", "<="), (">", ">="),
    ]
    static let wordSwaps: [String: String] = [
        "and": "or", "or": "and", "min": "max", "max": "min", "True": "False", "False": "True",
    ]

    /// Every place a mutation applies, in source order.
    static func sites(in source: String) -> [Site] {
        let text = Array(source.unicodeScalars)
        var sites: [Site] = []
        var index = 0
        func isWord(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" }
        func lastSignificant(before position: Int) -> Unicode.Scalar? {
            var probe = position - 1
            while probe >= 0, text[probe] == " " { probe -= 1 }
            return probe >= 0 ? text[probe] : nil
        }
        while index < text.count {
            let c = text[index]
            if c == "#" {
                while index < text.count, text[index] != "\n" { index += 1 }
                continue
            }
            if c == "\"" || c == "'" {
                index = skipString(text, from: index)
                continue
            }
            if isWord(c) {
                var end = index
                while end < text.count, isWord(text[end]) { end += 1 }
                let word = String(String.UnicodeScalarView(text[index..<end]))
                let prefixedByWord = index > 0 && (isWord(text[index - 1]) || text[index - 1] == ".")
                if !prefixedByWord, let swap = wordSwaps[word] {
                    sites.append(Site(range: index..<end, original: word, replacement: swap))
                } else if !prefixedByWord, let value = Int(word), word.count < 10 {
                    sites.append(Site(range: index..<end, original: word, replacement: String(value + 1)))
                }
                index = end
                continue
            }
            let next = index + 1 < text.count ? text[index + 1] : " "
            let pair = String(String.UnicodeScalarView([c, next]))
            if let swap = swaps.first(where: { $0.0 == pair }), pair.count == 2 {
                let after = index + 2 < text.count ? text[index + 2] : " "
                if after != "=" {
                    sites.append(Site(range: index..<(index + 2), original: swap.0, replacement: swap.1))
                }
                index += 2
                continue
            }
            if (c == "<" || c == ">"), next != c, next != "=", index > 0, text[index - 1] != c, text[index - 1] != "-" {
                sites.append(Site(range: index..<(index + 1), original: String(c), replacement: String(c) + "="))
            } else if (c == "+" || c == "-"), next != "=", next != c, next != ">",
                let before = lastSignificant(before: index), isWord(before) || before == ")" || before == "]",
                !(index > 0 && text[index - 1] == "e" && index > 1 && ("0"..."9").contains(text[index - 2]))
            {
                sites.append(Site(range: index..<(index + 1), original: String(c), replacement: c == "+" ? "-" : "+"))
            }
            index += 1
        }
        return sites
    }

    /// The index just past the string literal (or triple-quoted string) starting at `start`.
    static func skipString(_ text: [Unicode.Scalar], from start: Int) -> Int {
        let quote = text[start]
        let triple = start + 2 < text.count && text[start + 1] == quote && text[start + 2] == quote
        var index = start + (triple ? 3 : 1)
        while index < text.count {
            if text[index] == "\\" {
                index += 2
                continue
            }
            if text[index] == quote {
                if !triple { return index + 1 }
                if index + 2 < text.count, text[index + 1] == quote, text[index + 2] == quote { return index + 3 }
            }
            if !triple, text[index] == "\n" { return index + 1 }
            index += 1
        }
        return text.count
    }
}
