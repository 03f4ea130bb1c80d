/// Small algorithms over lists: k-th largest with or without duplicates, first/last index,
/// longest increasing run, best window sum, pair counting, merging sorted lists.
///
/// The facts are the counting conventions (distinct or not, first or last occurrence,
/// strictly or non-strictly increasing) and the missing-value result.
enum AlgorithmFamily {
    static let family = "algorithms"

    static func problems() -> [BankProblem] {
        var result: [BankProblem] = []
        for largest in [true, false] { for k in [1, 2, 3] { for distinct in [true, false] {
            result.append(kth(largest: largest, k: k, distinct: distinct))
        } } }
        for first in [true, false] {
            result.append(indexOfTarget(first: first))
            result.append(indexOfExtreme(max: true, first: first))
            result.append(indexOfExtreme(max: false, first: first))
            result.append(insertionPoint(left: first))
        }
        for strict in [true, false] {
            result.append(longestRun(strict: strict))
            result.append(isSorted(strict: strict))
        }
        for k in [2, 3, 4, 5] { result.append(windowSum(k)) }
        for ordered in [true, false] { result.append(pairsSumming(ordered: ordered)) }
        for keepDuplicates in [true, false] { result.append(merge(keepDuplicates: keepDuplicates)) }
        result.append(intersection())
        return result
    }

    static func inputs(_ id: String, fixed: [[Int]], extra: [PyValue] = [], count: ClosedRange<Int> = 1...7) -> [[PyValue]] {
        var draw = InputDraw(id)
        var all = fixed.map { [PyValue.ints($0)] + extra }
        for _ in 0..<4 { all.append([.ints(draw.ints(count: count, in: -3...9))] + extra) }
        return all
    }

    static func ordinal(_ k: Int) -> String { ["first", "second", "third"][k - 1] }

    static func kth(largest: Bool, k: Int, distinct: Bool) -> BankProblem {
        let size = largest ? "largest" : "smallest"
        let rule = distinct ? "Repeated values count once." : "Repeated values count separately."
        let values = distinct ? "sorted(set(numbers)\(largest ? ", reverse=True" : ""))" : "sorted(numbers\(largest ? ", reverse=True" : ""))"
        return bankProblem(
            "algorithms/kth_\(size)_\(k)_\(distinct ? "distinct" : "with_repeats")", family: family,
            name: "\(ordinal(k))_\(size)", params: [("numbers", "list[int]")], returns: "int | None",
            sentences: ["Return the \(ordinal(k)) \(size) value in numbers.", rule,
                        "If there is no such value, return None."],
            facts: [
                SpecFact(
                    phrase: rule, opposite: distinct ? "Repeated values count separately." : "Repeated values count once.",
                    topic: "whether repeated values count once or separately", options: ["once", "separately"],
                    clarification: rule),
                SpecFact(
                    phrase: "the \(ordinal(k)) \(size) value", vague: "the \(ordinal(k)) extreme value",
                    opposite: "the \(ordinal(k)) \(largest ? "smallest" : "largest") value",
                    topic: "whether to count from the largest or the smallest", options: ["largest", "smallest"],
                    clarification: "Count from the \(size) value."),
                SpecFact.empty(sentence: "If there is no such value, return None.", answer: "Return None when there are too few values."),
            ],
            body: "values = \(values)\nreturn values[\(k - 1)] if len(values) >= \(k) else None",
            inputs: inputs("kth\(size)\(k)\(distinct)", fixed: [[5, 9, 9, 1, 7, 1], [4, 4, 4, 2], [], [3, 8], Array(1...k), Array(1...k) + [k]])
        ) { args in
            var values = distinct ? Array(Set(args.ints(0))) : args.ints(0)
            values.sort(by: largest ? (>) : (<))
            return .optional(values.count >= k ? values[k - 1] : nil)
        }
    }

    static func indexOfTarget(first: Bool) -> BankProblem {
        let which = first ? "first" : "last"
        return bankProblem(
            "algorithms/\(which)_index_of", family: family, name: "find_position",
            params: [("numbers", "list[int]"), ("target", "int")], returns: "int",
            sentences: ["Return the index of the \(which) occurrence of target in numbers.", "If target does not occur, return -1."],
            facts: [
                SpecFact(
                    phrase: "the \(which) occurrence", vague: "an occurrence", opposite: "the \(first ? "last" : "first") occurrence",
                    topic: "which occurrence to report when target repeats", options: ["the first", "the last"],
                    clarification: "Return the index of the \(which) occurrence."),
                SpecFact.empty(sentence: "If target does not occur, return -1.", answer: "Return -1 when target is absent."),
            ],
            body: first ? "for i, x in enumerate(numbers):\n    if x == target:\n        return i\nreturn -1"
                : "for i in range(len(numbers) - 1, -1, -1):\n    if numbers[i] == target:\n        return i\nreturn -1",
            inputs: [[.ints([4, 2, 7, 2, 9]), 2], [.ints([1, 3]), 5], [.ints([]), 0], [.ints([6, 6, 6]), 6],
                     [.ints([0, 1, 0]), 0], [.ints([8]), 8], [.ints([5, 4, 3, 4]), 4]]
        ) { args in
            let xs = args.ints(0), t = args.int(1)
            return .int((first ? xs.firstIndex(of: t) : xs.lastIndex(of: t)) ?? -1)
        }
    }

    static func indexOfExtreme(max: Bool, first: Bool) -> BankProblem {
        let size = max ? "largest" : "smallest"
        let which = first ? "first" : "last"
        let compare = max ? (first ? ">" : ">=") : (first ? "<" : "<=")
        return bankProblem(
            "algorithms/index_of_\(size)_\(which)", family: family, name: "position_of_\(max ? "max" : "min")",
            params: [("numbers", "list[int]")], returns: "int",
            sentences: ["Return the index of the \(size) element of the non-empty list numbers.",
                        "If it occurs more than once, return the index of its \(which) occurrence."],
            facts: [
                SpecFact(
                    phrase: "its \(which) occurrence", vague: "one occurrence", opposite: "its \(first ? "last" : "first") occurrence",
                    topic: "which index to return when the \(size) value repeats", options: ["the first", "the last"],
                    clarification: "Return the \(which) index where it occurs."),
                SpecFact(
                    phrase: "the \(size) element", vague: "the extreme element",
                    opposite: "the \(max ? "smallest" : "largest") element", topic: "whether the largest or the smallest is meant",
                    options: ["largest", "smallest"], clarification: "Look for the \(size) element."),
            ],
            body: "best = 0\nfor i in range(1, len(numbers)):\n    if numbers[i] \(compare) numbers[best]:\n        best = i\nreturn best",
            inputs: inputs("idx\(size)\(which)", fixed: [[3, 9, 1, 9, 1], [5], [2, 2, 2]])
        ) { args in
            let xs = args.ints(0)
            var best = 0
            for i in xs.indices.dropFirst() {
                let better = max ? (first ? xs[i] > xs[best] : xs[i] >= xs[best]) : (first ? xs[i] < xs[best] : xs[i] <= xs[best])
                if better { best = i }
            }
            return .int(best)
        }
    }

    static func insertionPoint(left: Bool) -> BankProblem {
        let rule = left ? "If equal values are present, return the position before all of them."
            : "If equal values are present, return the position after all of them."
        return bankProblem(
            "algorithms/insertion_point_\(left ? "left" : "right")", family: family, name: "insertion_index",
            params: [("sorted_numbers", "list[int]"), ("value", "int")], returns: "int",
            sentences: ["Return the index at which value can be inserted into the ascending list sorted_numbers keeping it sorted.", rule],
            facts: [SpecFact(
                phrase: rule, opposite: left ? "If equal values are present, return the position after all of them."
                    : "If equal values are present, return the position before all of them.",
                topic: "where to insert among equal values", options: ["before them", "after them"], clarification: rule)],
            body: "i = 0\nwhile i < len(sorted_numbers) and sorted_numbers[i] \(left ? "<" : "<=") value:\n    i += 1\nreturn i",
            inputs: [[.ints([1, 3, 3, 5]), 3], [.ints([]), 4], [.ints([2, 4]), 5], [.ints([2, 4]), 0], [.ints([7, 7, 7]), 7],
                     [.ints([1, 2, 3]), 2]]
        ) { args in
            let xs = args.ints(0), v = args.int(1)
            return .int(xs.filter { left ? $0 < v : $0 <= v }.count)
        }
    }

    static func longestRun(strict: Bool) -> BankProblem {
        let kind = strict ? "strictly increasing" : "non-decreasing"
        return bankProblem(
            "algorithms/longest_run_\(strict ? "increasing" : "non_decreasing")", family: family, name: "longest_climb",
            params: [("numbers", "list[int]")], returns: "int",
            sentences: ["Return the length of the longest run of consecutive elements of numbers that is \(kind).",
                        "An empty list gives 0."],
            facts: [SpecFact(
                phrase: "that is \(kind)", vague: "that is increasing", omission: "",
                opposite: strict ? "that is strictly decreasing" : "that is non-increasing",
                topic: "whether equal neighbours continue a run", options: ["strictly increasing", "non-decreasing"],
                clarification: strict ? "Each element must be strictly greater than the one before."
                    : "Equal neighbours continue the run.")],
            body: "best = current = 0\nfor i, x in enumerate(numbers):\n    current = current + 1 if i and x \(strict ? ">" : ">=") numbers[i - 1] else 1\n    best = max(best, current)\nreturn best",
            inputs: inputs("run\(strict)", fixed: [[1, 2, 2, 3, 4, 1], [5, 5, 5], []])
        ) { args in
            let xs = args.ints(0)
            var best = 0, current = 0
            for i in xs.indices {
                current = i > 0 && (strict ? xs[i] > xs[i - 1] : xs[i] >= xs[i - 1]) ? current + 1 : 1
                best = Swift.max(best, current)
            }
            return .int(best)
        }
    }

    static func isSorted(strict: Bool) -> BankProblem {
        let rule = strict ? "Equal neighbours make the answer False." : "Equal neighbours are allowed."
        return bankProblem(
            "algorithms/is_sorted_\(strict ? "strict" : "non_strict")", family: family, name: "in_order",
            params: [("numbers", "list[int]")], returns: "bool",
            sentences: ["Return True if every element of numbers is larger than the one before it, otherwise False.", rule],
            facts: [SpecFact(
                phrase: rule, opposite: strict ? "Equal neighbours are allowed." : "Equal neighbours make the answer False.",
                topic: "whether equal neighbours are allowed", options: ["not allowed", "allowed"], clarification: rule)],
            body: "return all(b \(strict ? ">" : ">=") a for a, b in zip(numbers, numbers[1:]))",
            inputs: inputs("sorted\(strict)", fixed: [[1, 2, 2, 5], [1, 3, 8], [], [4, 1]], count: 1...3)
        ) { args in
            let xs = args.ints(0)
            return .bool(zip(xs, xs.dropFirst()).allSatisfy { strict ? $1 > $0 : $1 >= $0 })
        }
    }

    static func windowSum(_ k: Int) -> BankProblem {
        bankProblem(
            "algorithms/best_window_\(k)", family: family, name: "best_window_total", params: [("numbers", "list[int]")],
            returns: "int | None",
            sentences: ["Return the largest sum of \(k) consecutive elements of numbers.",
                        "If numbers has fewer than \(k) elements, return None."],
            facts: [
                SpecFact(
                    phrase: "\(k) consecutive elements", vague: "a few consecutive elements", omission: "consecutive elements",
                    topic: "how many consecutive elements to add", options: ["\(k)"],
                    clarification: "Add exactly \(k) consecutive elements."),
                SpecFact.empty(sentence: "If numbers has fewer than \(k) elements, return None.",
                               answer: "Return None when there are fewer than \(k) elements."),
            ],
            body: "if len(numbers) < \(k):\n    return None\nreturn max(sum(numbers[i:i + \(k)]) for i in range(len(numbers) - \(k) + 1))",
            inputs: inputs("win\(k)", fixed: [[1, -2, 5, 4, -1, 3], [2], [-5, -1, -7, -2], Array(1...k)])
        ) { args in
            let xs = args.ints(0)
            guard xs.count >= k else { return .none }
            return .int((0...(xs.count - k)).map { xs[$0..<($0 + k)].reduce(0, +) }.max()!)
        }
    }

    static func pairsSumming(ordered: Bool) -> BankProblem {
        let rule = ordered ? "Pairs are counted by position: i < j, so equal values at different positions are different pairs."
            : "Each pair of distinct values is counted once, whatever the positions."
        return bankProblem(
            "algorithms/pairs_summing_\(ordered ? "by_position" : "by_value")", family: family, name: "count_pairs",
            params: [("numbers", "list[int]"), ("target", "int")], returns: "int",
            sentences: ["Return how many pairs of elements of numbers add up to target.", rule],
            facts: [
                SpecFact(
                    phrase: rule, topic: "how pairs are counted when values repeat", options: ["by position", "by distinct values"],
                    clarification: rule),
                SpecFact(
                    phrase: "add up to target", vague: "combine to target", opposite: "differ by target",
                    topic: "how the two elements must relate to target", options: ["their sum", "their difference"],
                    clarification: "The two elements must add up to target."),
            ],
            body: ordered ? "return sum(1 for i in range(len(numbers)) for j in range(i + 1, len(numbers)) if numbers[i] + numbers[j] == target)"
                : "values = set(numbers)\nreturn len({(a, target - a) for a in values if a < target - a and target - a in values})",
            inputs: [[.ints([1, 2, 3, 4, 3]), 6], [.ints([2, 2, 2]), 4], [.ints([]), 1], [.ints([5, 0, 5, 0]), 5],
                     [.ints([1, 9]), 10], [.ints([3, 3]), 7]]
        ) { args in
            let xs = args.ints(0), t = args.int(1)
            if ordered {
                var count = 0
                for i in xs.indices { for j in xs.indices where j > i && xs[i] + xs[j] == t { count += 1 } }
                return .int(count)
            }
            let values = Set(xs)
            return .int(values.filter { $0 < t - $0 && values.contains(t - $0) }.count)
        }
    }

    static func merge(keepDuplicates: Bool) -> BankProblem {
        let rule = keepDuplicates ? "Values present in both lists appear as many times as in the two lists together."
            : "Each value appears only once in the result."
        return bankProblem(
            "algorithms/merge_sorted_\(keepDuplicates ? "all" : "unique")", family: family, name: "merge_sorted",
            params: [("first", "list[int]"), ("second", "list[int]")], returns: "list[int]",
            sentences: ["Merge the two ascending lists first and second into one ascending list.", rule],
            facts: [SpecFact(
                phrase: rule, topic: "whether repeated values are kept", options: ["keep repeats", "only once"],
                clarification: rule)],
            body: keepDuplicates ? "return sorted(first + second)" : "return sorted(set(first + second))",
            inputs: [[.ints([1, 3, 5]), .ints([2, 3, 6])], [.ints([]), .ints([4, 4])], [.ints([1, 1]), .ints([])],
                     [.ints([0, 2]), .ints([1, 2, 3])], [.ints([7]), .ints([7])], [.ints([3, 40]), .ints([33])]]
        ) { args in
            let all = args.ints(0) + args.ints(1)
            return .ints(keepDuplicates ? all.sorted() : Array(Set(all)).sorted())
        }
    }

    static func intersection() -> BankProblem {
        bankProblem(
            "algorithms/common_values", family: family, name: "common_values",
            params: [("first", "list[int]"), ("second", "list[int]")], returns: "list[int]",
            sentences: ["Return the values that occur in both first and second, each once, in ascending order."],
            facts: [.order(ascending: true, phrase: "in ascending order", what: "the common values")],
            body: "return sorted(set(first) & set(second))",
            inputs: [[.ints([3, 1, 2, 3]), .ints([3, 2, 9])], [.ints([]), .ints([1])], [.ints([5, 4]), .ints([4, 5, 6])],
                     [.ints([1]), .ints([2])], [.ints([8, 8]), .ints([8])], [.ints([40, 3, 33]), .ints([33, 40, 3])]]
        ) { .ints(Array(Set($0.ints(0)).intersection($0.ints(1))).sorted()) }
    }
}
