/// Element-wise and positional list transforms: shift every element by N, rotate by k,
/// chunk, de-duplicate keeping the first or last occurrence, running sums.
///
/// The facts here are amounts ("incremented by 1" → "incremented by a number"), directions
/// (left/right), and which occurrence or remainder is kept.
enum ListTransformFamily {
    static let family = "lists/transform"

    static func problems() -> [BankProblem] {
        var result: [BankProblem] = []
        for n in [1, 2, 5, -3, 10, -1] { result.append(shift(n)) }
        for n in [2, 3, 10, 5] { result.append(scale(n)) }
        for left in [true, false] { for k in [1, 2, 3] { result.append(rotate(k: k, left: left)) } }
        for k in [2, 3] { for keepShort in [true, false] { result.append(chunk(k: k, keepShort: keepShort)) } }
        for first in [true, false] { result.append(dedupe(keepFirst: first)) }
        for inclusive in [true, false] { result.append(runningSum(inclusive: inclusive)) }
        for forward in [true, false] { result.append(differences(forward: forward)) }
        for even in [true, false] { result.append(positions(even: even)) }
        for (low, high) in [(0, 10), (-5, 5)] { result.append(clamp(low: low, high: high)) }
        for ascending in [true, false] {
            result.append(squares(ascending: ascending))
            result.append(absolutes(ascending: ascending))
        }
        for strict in [true, false] { result.append(rises(strict: strict)) }
        return result
    }

    static func listInputs(_ id: String, fixed: [[Int]], range: ClosedRange<Int> = -6...9) -> [[PyValue]] {
        var draw = InputDraw(id)
        var inputs = fixed.map { [PyValue.ints($0)] }
        inputs.append([.ints([])])
        for _ in 0..<4 { inputs.append([.ints(draw.ints(count: 1...7, in: range))]) }
        return inputs
    }

    static func shift(_ n: Int) -> BankProblem {
        let amount = n > 0 ? "incremented by \(n)" : "decremented by \(-n)"
        let vague = n > 0 ? "incremented by a number" : "decremented by a number"
        let opposite = n > 0 ? "decremented by \(n)" : "incremented by \(-n)"
        return bankProblem(
            "lists/transform/shift_\(n < 0 ? "m\(-n)" : "\(n)")", family: family, name: "shift_all",
            params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return a new list with every element of numbers \(amount).",
                        "The input list is not modified."],
            facts: [SpecFact(
                phrase: amount, vague: vague, omission: "changed", opposite: opposite, topic: "the amount to add",
                options: ["\(abs(n))", "some other amount"], clarification: "Every element is \(amount).")],
            body: "return [x + (\(n)) for x in numbers]",
            inputs: listInputs("shift\(n)", fixed: [[1, 2, 3], [0, -4, 10]])
        ) { .ints($0.ints(0).map { $0 + n }) }
    }

    static func scale(_ n: Int) -> BankProblem {
        bankProblem(
            "lists/transform/scale_\(n)", family: family, name: "scale_all",
            params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return a new list with every element of numbers multiplied by \(n)."],
            facts: [SpecFact(
                phrase: "multiplied by \(n)", vague: "scaled", omission: "changed", opposite: "divided by \(n)",
                topic: "the factor to multiply by", options: ["\(n)", "another factor"],
                clarification: "Multiply every element by \(n).")],
            body: "return [x * \(n) for x in numbers]",
            inputs: listInputs("scale\(n)", fixed: [[1, 2, 3], [0, -4, 7]])
        ) { .ints($0.ints(0).map { $0 * n }) }
    }

    static func rotate(k: Int, left: Bool) -> BankProblem {
        let dir = left ? "left" : "right"
        let body = left
            ? "if not numbers:\n    return []\nk = \(k) % len(numbers)\nreturn numbers[k:] + numbers[:k]"
            : "if not numbers:\n    return []\nk = \(k) % len(numbers)\nreturn numbers[len(numbers) - k:] + numbers[:len(numbers) - k]"
        return bankProblem(
            "lists/transform/rotate_\(dir)_\(k)", family: family, name: "rotate",
            params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return numbers rotated \(k) positions to the \(dir), wrapping around.",
                        "An empty list stays empty."],
            facts: [
                SpecFact(
                    phrase: "to the \(dir)", vague: "around", omission: "", opposite: "to the \(left ? "right" : "left")",
                    topic: "the direction of the rotation", options: [dir, left ? "right" : "left"],
                    clarification: "Rotate to the \(dir): \(left ? "the first" : "the last") elements move to the \(left ? "end" : "front")."),
                SpecFact(
                    phrase: "rotated \(k) positions", vague: "rotated some positions", omission: "rotated",
                    topic: "how many positions to rotate by", options: ["\(k)"],
                    clarification: "Rotate by exactly \(k) positions."),
            ],
            body: body, inputs: listInputs("rot\(dir)\(k)", fixed: [[1, 2, 3, 4, 5], [7, 8]], range: 0...9)
        ) { args in
            let xs = args.ints(0)
            guard !xs.isEmpty else { return .ints([]) }
            let shift = left ? k % xs.count : (xs.count - k % xs.count) % xs.count
            return .ints(Array(xs[shift...] + xs[..<shift]))
        }
    }

    static func chunk(k: Int, keepShort: Bool) -> BankProblem {
        let rule = keepShort ? "A shorter final group is kept." : "A final group with fewer than \(k) elements is dropped."
        let body = keepShort
            ? "return [numbers[i:i + \(k)] for i in range(0, len(numbers), \(k))]"
            : "return [numbers[i:i + \(k)] for i in range(0, len(numbers) - \(k) + 1, \(k))]"
        return bankProblem(
            "lists/transform/chunk_\(k)_\(keepShort ? "keep" : "drop")", family: family, name: "chunks",
            params: [("numbers", "list[int]")], returns: "list[list[int]]",
            sentences: ["Split numbers into consecutive groups of \(k) elements, in order.", rule],
            facts: [
                SpecFact(
                    phrase: rule, opposite: keepShort ? "A final group with fewer than \(k) elements is dropped." :
                        "A shorter final group is kept.",
                    topic: "what happens to leftover elements at the end",
                    options: ["keep them as a shorter group", "drop them"], clarification: rule),
                SpecFact(
                    phrase: "groups of \(k) elements", vague: "small groups", omission: "groups",
                    topic: "the size of each group", options: ["\(k)"], clarification: "Each group has \(k) elements."),
            ],
            body: body, inputs: listInputs("chunk\(k)\(keepShort)", fixed: [[1, 2, 3, 4, 5, 6, 7], [4, 5, 6, 7], [1, 2, 3, 4, 5], [9, 8, 7, 6, 5, 4, 3, 2]])
        ) { args in
            let xs = args.ints(0)
            var groups: [PyValue] = []
            var i = 0
            while i < xs.count {
                let group = Array(xs[i..<min(i + k, xs.count)])
                if group.count == k || keepShort { groups.append(.ints(group)) }
                i += k
            }
            return .list(groups)
        }
    }

    static func dedupe(keepFirst: Bool) -> BankProblem {
        let which = keepFirst ? "first" : "last"
        let body = keepFirst
            ? "seen = set()\nresult = []\nfor x in numbers:\n    if x not in seen:\n        seen.add(x)\n        result.append(x)\nreturn result"
            : "result = []\nfor i, x in enumerate(numbers):\n    if x not in numbers[i + 1:]:\n        result.append(x)\nreturn result"
        return bankProblem(
            "lists/transform/dedupe_\(which)", family: family, name: "unique_in_order",
            params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Remove repeated values from numbers, keeping only the \(which) occurrence of each value.",
                        "The kept elements stay in their original relative order."],
            facts: [SpecFact(
                phrase: "keeping only the \(which) occurrence of each value", vague: "keeping one occurrence of each value",
                omission: "", opposite: "keeping only the \(keepFirst ? "last" : "first") occurrence of each value",
                topic: "which occurrence of a repeated value to keep", options: ["the first", "the last"],
                clarification: "Keep the \(which) occurrence of every repeated value.")],
            body: body, inputs: listInputs("dedupe\(which)", fixed: [[3, 1, 3, 2, 1], [5, 5, 4]], range: 0...4)
        ) { args in
            let xs = args.ints(0)
            var result: [Int] = []
            for (i, x) in xs.enumerated() {
                if keepFirst ? !xs[..<i].contains(x) : !xs[(i + 1)...].contains(x) { result.append(x) }
            }
            return .ints(result)
        }
    }

    static func runningSum(inclusive: Bool) -> BankProblem {
        let rule = inclusive
            ? "Element i of the result is the sum of numbers[0] through numbers[i], inclusive."
            : "Element i of the result is the sum of the elements before position i, so the first is 0."
        let body = inclusive
            ? "result = []\ntotal = 0\nfor x in numbers:\n    total += x\n    result.append(total)\nreturn result"
            : "result = []\ntotal = 0\nfor x in numbers:\n    result.append(total)\n    total += x\nreturn result"
        return bankProblem(
            "lists/transform/running_sum_\(inclusive ? "inclusive" : "exclusive")", family: family,
            name: "running_totals", params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return the running sums of numbers, one per element.", rule],
            facts: [SpecFact(
                phrase: rule, topic: "whether each running sum includes the current element",
                options: ["inclusive", "exclusive"], clarification: rule)],
            body: body, inputs: listInputs("run\(inclusive)", fixed: [[1, 2, 3, 4], [5, -2]])
        ) { args in
            var total = 0
            return .ints(args.ints(0).map { x in
                let before = total
                total += x
                return inclusive ? total : before
            })
        }
    }

    static func differences(forward: Bool) -> BankProblem {
        let rule = forward ? "numbers[i + 1] - numbers[i]" : "numbers[i] - numbers[i + 1]"
        return bankProblem(
            "lists/transform/differences_\(forward ? "next_minus_current" : "current_minus_next")", family: family,
            name: "step_changes", params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return the differences between neighbouring elements, computed as \(rule).",
                        "A list with fewer than two elements gives an empty list."],
            facts: [SpecFact(
                phrase: ", computed as \(rule)", vague: ", in some direction", omission: "",
                opposite: ", computed as \(forward ? "numbers[i] - numbers[i + 1]" : "numbers[i + 1] - numbers[i]")",
                topic: "the direction of the subtraction", options: ["next minus current", "current minus next"],
                clarification: "Each difference is \(rule).")],
            body: "return [\(rule.replacingOccurrences(of: "numbers[i + 1]", with: "b").replacingOccurrences(of: "numbers[i]", with: "a")) for a, b in zip(numbers, numbers[1:])]",
            inputs: listInputs("diff\(forward)", fixed: [[1, 4, 9, 16], [10, 3]])
        ) { args in
            let xs = args.ints(0)
            return .ints(zip(xs, xs.dropFirst()).map { forward ? $1 - $0 : $0 - $1 })
        }
    }

    static func positions(even: Bool) -> BankProblem {
        let which = even ? "even" : "odd"
        return bankProblem(
            "lists/transform/\(which)_positions", family: family, name: "every_other",
            params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return the elements of numbers at \(which) indices, counting from 0, in order."],
            facts: [SpecFact(
                phrase: "at \(which) indices, counting from 0", vague: "at alternate positions", omission: "",
                opposite: "at \(even ? "odd" : "even") indices, counting from 0",
                topic: "which positions to keep", options: ["indices 0, 2, 4, …", "indices 1, 3, 5, …"],
                clarification: "Keep the elements at \(which) indices, counting the first index as 0.")],
            body: "return numbers[\(even ? 0 : 1)::2]",
            inputs: listInputs("pos\(which)", fixed: [[10, 11, 12, 13, 14], [7, 8]])
        ) { args in .ints(args.ints(0).enumerated().filter { ($0.offset % 2 == 0) == even }.map(\.element)) }
    }

    static func clamp(low: Int, high: Int) -> BankProblem {
        bankProblem(
            "lists/transform/clamp_\(low)_\(high)".replacingOccurrences(of: "-", with: "m"), family: family,
            name: "clamp_all", params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return numbers with every element below \(low) replaced by \(low) and every element above \(high) replaced by \(high)."],
            facts: [SpecFact(
                phrase: "below \(low) replaced by \(low) and every element above \(high) replaced by \(high)",
                vague: "outside a range replaced by the nearest bound", omission: "out of range replaced",
                topic: "the bounds of the range", options: ["\(low) to \(high)"],
                clarification: "The range is \(low) to \(high), inclusive.")],
            body: "return [min(max(x, \(low)), \(high)) for x in numbers]",
            inputs: listInputs("clamp\(low)", fixed: [[low - 3, low, high, high + 4, (low + high) / 2], [high + 1]],
                               range: (low - 8)...(high + 8))
        ) { .ints($0.ints(0).map { min(max($0, low), high) }) }
    }

    static func squares(ascending: Bool) -> BankProblem {
        bankProblem(
            "lists/transform/squares_\(ascending ? "asc" : "desc")", family: family, name: "sorted_squares",
            params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return the squares of the elements of numbers, sorted in \(ascending ? "ascending" : "descending") order."],
            facts: [.order(ascending: ascending)],
            body: "return sorted((x * x for x in numbers)\(ascending ? "" : ", reverse=True"))",
            inputs: listInputs("sq\(ascending)", fixed: [[-3, 1, 2], [0, -1, 4]])
        ) { .ints($0.ints(0).map { $0 * $0 }.sorted(by: ascending ? (<) : (>))) }
    }

    static func absolutes(ascending: Bool) -> BankProblem {
        bankProblem(
            "lists/transform/absolutes_\(ascending ? "asc" : "desc")", family: family, name: "sorted_magnitudes",
            params: [("numbers", "list[int]")], returns: "list[int]",
            sentences: ["Return the absolute values of the elements of numbers, sorted in \(ascending ? "ascending" : "descending") order."],
            facts: [.order(ascending: ascending)],
            body: "return sorted((abs(x) for x in numbers)\(ascending ? "" : ", reverse=True"))",
            inputs: listInputs("abs\(ascending)", fixed: [[-7, 2, -1], [3, -3, 0]])
        ) { .ints($0.ints(0).map { abs($0) }.sorted(by: ascending ? (<) : (>))) }
    }

    static func rises(strict: Bool) -> BankProblem {
        let relation = strict ? "strictly greater than" : "greater than or equal to"
        return bankProblem(
            "lists/transform/rises_\(strict ? "strict" : "non_strict")", family: family, name: "count_rises",
            params: [("numbers", "list[int]")], returns: "int",
            sentences: ["Return how many elements of numbers are \(relation) the element just before them."],
            facts: [SpecFact(
                phrase: relation, vague: "bigger than", opposite: strict ? "less than" : "less than or equal to",
                topic: "whether an element equal to the previous one counts",
                options: ["only strictly greater", "greater or equal"],
                clarification: "Count an element when it is \(relation) the previous element.")],
            body: "return sum(1 for a, b in zip(numbers, numbers[1:]) if b \(strict ? ">" : ">=") a)",
            inputs: listInputs("rise\(strict)", fixed: [[1, 1, 2, 0, 3], [4, 4, 4]], range: 0...4)
        ) { args in
            let xs = args.ints(0)
            return .int(zip(xs, xs.dropFirst()).filter { strict ? $1 > $0 : $1 >= $0 }.count)
        }
    }
}
