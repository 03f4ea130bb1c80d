/// Filters over a list of ints: "the elements strictly greater than 3, in ascending order".
///
/// Each problem combines one condition with one result order. Both are facts: the condition
/// carries the strict/inclusive and divisibility distinctions the ambiguous rewrites blur, the
/// order carries ascending/descending, and the empty-result sentence carries empty behaviour.
enum ListFilterFamily {
    struct Condition {
        var slug: String
        var phrase: String
        var vague: String
        var opposite: String
        var topic: String
        var options: [String]
        var python: String
        var holds: (Int) -> Bool
        /// Values the examples must contain so the tests separate the readings.
        var boundary: [Int]
    }

    static var conditions: [Condition] {
        var all: [Condition] = []
        for k in [0, 3, 10, -2, 1, 6] {
            all.append(Condition(
                slug: "gt_\(k)", phrase: "strictly greater than \(k)", vague: "bigger than \(k)",
                opposite: "strictly less than \(k)", topic: "whether elements equal to \(k) are kept",
                options: ["strictly greater than \(k)", "greater than or equal to \(k)"],
                python: "x > \(k)", holds: { $0 > k }, boundary: [k, k + 1, k - 1]))
        }
        for k in [2, 5, -1, 8] {
            all.append(Condition(
                slug: "ge_\(k)", phrase: "greater than or equal to \(k)", vague: "above \(k)",
                opposite: "less than \(k)", topic: "whether elements equal to \(k) are kept",
                options: ["greater than or equal to \(k)", "strictly greater than \(k)"],
                python: "x >= \(k)", holds: { $0 >= k }, boundary: [k, k + 1, k - 1]))
        }
        for k in [0, 4, 7, -3] {
            all.append(Condition(
                slug: "lt_\(k)", phrase: "strictly less than \(k)", vague: "smaller than \(k)",
                opposite: "strictly greater than \(k)", topic: "whether elements equal to \(k) are kept",
                options: ["strictly less than \(k)", "less than or equal to \(k)"],
                python: "x < \(k)", holds: { $0 < k }, boundary: [k, k + 1, k - 1]))
        }
        for k in [3, 6] {
            all.append(Condition(
                slug: "le_\(k)", phrase: "less than or equal to \(k)", vague: "below \(k)",
                opposite: "greater than \(k)", topic: "whether elements equal to \(k) are kept",
                options: ["less than or equal to \(k)", "strictly less than \(k)"],
                python: "x <= \(k)", holds: { $0 <= k }, boundary: [k, k + 1, k - 1]))
        }
        for d in [3, 4, 5, 7] {
            all.append(Condition(
                slug: "div_\(d)", phrase: "divisible by \(d)", vague: "that go evenly with \(d)",
                opposite: "not divisible by \(d)", topic: "which divisibility relation with \(d) is meant",
                options: ["the element is divisible by \(d)", "\(d) is divisible by the element"],
                python: "x % \(d) == 0", holds: { pyMod($0, d) == 0 }, boundary: [d, 2 * d, d + 1, 1]))
        }
        all.append(Condition(
            slug: "even", phrase: "even", vague: "of a certain parity", opposite: "odd",
            topic: "which parity to keep", options: ["even", "odd"],
            python: "x % 2 == 0", holds: { pyMod($0, 2) == 0 }, boundary: [2, 3, 0]))
        all.append(Condition(
            slug: "odd", phrase: "odd", vague: "of a certain parity", opposite: "even",
            topic: "which parity to keep", options: ["odd", "even"],
            python: "x % 2 == 1", holds: { pyMod($0, 2) == 1 }, boundary: [2, 3, -3]))
        for (low, high) in [(1, 5), (-2, 2), (10, 20)] {
            all.append(Condition(
                slug: "in_\(low)_\(high)", phrase: "between \(low) and \(high) inclusive",
                vague: "between \(low) and \(high)", opposite: "outside \(low) to \(high)",
                topic: "whether the bounds \(low) and \(high) themselves are included",
                options: ["inclusive", "exclusive"],
                python: "\(low) <= x <= \(high)", holds: { low <= $0 && $0 <= high },
                boundary: [low, high, low - 1, high + 1]))
        }
        all.append(Condition(
            slug: "ex_0_10", phrase: "strictly between 0 and 10 (both bounds excluded)",
            vague: "between 0 and 10", opposite: "outside 0 to 10",
            topic: "whether the bounds 0 and 10 themselves are included", options: ["exclusive", "inclusive"],
            python: "0 < x < 10", holds: { 0 < $0 && $0 < 10 }, boundary: [0, 10, 5, 11]))
        return all
    }

    enum Order: String, CaseIterable {
        case original, ascending, descending
    }

    static func problems() -> [BankProblem] {
        var result: [BankProblem] = []
        let names = ["select_numbers", "filter_values", "keep_matching", "pick_elements", "matching_items"]
        for (index, condition) in conditions.enumerated() {
            for (orderIndex, order) in Order.allCases.enumerated() {
                let id = "lists/filter/\(condition.slug)_\(order.rawValue)"
                let name = names[(index * 3 + orderIndex) % names.count]
                result.append(BankProblem(spec: spec(id: id, name: name, condition: condition, order: order)))
            }
        }
        return result
    }

    static func spec(id: String, name: String, condition: Condition, order: Order) -> BankSpec {
        let predicate = "that are " + condition.phrase
        let orderPhrase: String
        switch order {
        case .original: orderPhrase = "keeping their original order"
        case .ascending: orderPhrase = "sorted in ascending order"
        case .descending: orderPhrase = "sorted in descending order"
        }
        var facts = [
            SpecFact(
                phrase: predicate,
                vague: condition.vague.hasPrefix("that ") ? condition.vague : "that are " + condition.vague,
                omission: "", opposite: "that are " + condition.opposite,
                topic: condition.topic, options: condition.options,
                clarification: "Keep only the elements that are \(condition.phrase)."),
            SpecFact.empty(
                sentence: "If no element qualifies, return an empty list.",
                answer: "If no element qualifies, the result is an empty list []."),
        ]
        if order == .original {
            facts.insert(SpecFact(
                phrase: ", " + orderPhrase, omission: "", opposite: ", in reverse order",
                topic: "the order of the result", options: ["the input order", "sorted"],
                clarification: "Keep the elements in the order they appear in the input."), at: 1)
        } else {
            facts.insert(.order(ascending: order == .ascending, phrase: "sorted in \(order.rawValue) order"), at: 1)
        }
        let comprehension = "x for x in numbers if \(condition.python)"
        let body: String
        switch order {
        case .original: body = "return [\(comprehension)]"
        case .ascending: body = "return sorted(\(comprehension))"
        case .descending: body = "return sorted((\(comprehension)), reverse=True)"
        }
        var draw = InputDraw(id)
        let b = condition.boundary
        var inputs: [[PyValue]] = [
            [.ints([b[0] + 7, b[0], b[1], b.last!, b[1] + 2, b[0] - 3])],
            [.ints([b[1] + 1, b[0], b.last!, b[0] - 4])],
            [.ints([])],
            [.ints(b.reversed())],
        ]
        for _ in 0..<4 { inputs.append([.ints(draw.ints(count: 3...8, in: (b[0] - 6)...(b[0] + 8)) + [b[0]])]) }
        let cases = BankSpec.cases(inputs) { args in
            let kept = args.ints(0).filter(condition.holds)
            switch order {
            case .original: return .ints(kept)
            case .ascending: return .ints(kept.sorted())
            case .descending: return .ints(kept.sorted(by: >))
            }
        }
        return BankSpec(
            id: id, entryPoint: name, parameters: [("numbers", "list[int]")], returnType: "list[int]",
            sentences: ["Return the elements of numbers \(predicate), \(orderPhrase).",
                        "If no element qualifies, return an empty list."],
            facts: facts, body: body, cases: cases, family: "lists/filter")
    }
}
