/// Aggregates over the elements of a list that satisfy a condition: "the sum of the even
/// elements", "the largest element strictly greater than 5, or None".
///
/// The facts are the condition (blurred the same way as in ``ListFilterFamily``), the
/// aggregate itself ("the largest" → "the extreme one") and what an empty selection returns.
enum ListAggregateFamily {
    struct Aggregate {
        var slug: String
        var name: String
        var phrase: String
        var vague: String
        var opposite: String
        var options: [String]
        var emptyValue: String
        var emptyPython: String
        var returnType: String
        var python: (String) -> String
        var compute: ([Int]) -> PyValue
    }

    static var aggregates: [Aggregate] { [
        Aggregate(
            slug: "sum", name: "total_of", phrase: "the sum", vague: "the combined value", opposite: "the product",
            options: ["the sum", "the product"], emptyValue: "0", emptyPython: "0", returnType: "int",
            python: { "return sum(\($0))" }, compute: { .int($0.reduce(0, +)) }),
        Aggregate(
            slug: "product", name: "multiply_selected", phrase: "the product", vague: "the combined value",
            opposite: "the sum", options: ["the product", "the sum"], emptyValue: "1", emptyPython: "1",
            returnType: "int",
            python: { "result = 1\nfor x in (\($0)):\n    result *= x\nreturn result" },
            compute: { .int($0.reduce(1, *)) }),
        Aggregate(
            slug: "count", name: "count_selected", phrase: "the number", vague: "the amount", opposite: "the sum",
            options: ["how many there are", "their sum"], emptyValue: "0", emptyPython: "0", returnType: "int",
            python: { "return len([\($0)])" }, compute: { .int($0.count) }),
        Aggregate(
            slug: "max", name: "extreme_selected", phrase: "the largest", vague: "the extreme one",
            opposite: "the smallest", options: ["the largest", "the smallest"], emptyValue: "None",
            emptyPython: "None", returnType: "int | None",
            python: { "values = [\($0)]\nreturn max(values) if values else None" },
            compute: { .optional($0.max()) }),
        Aggregate(
            slug: "min", name: "least_selected", phrase: "the smallest", vague: "the extreme one",
            opposite: "the largest", options: ["the smallest", "the largest"], emptyValue: "None",
            emptyPython: "None", returnType: "int | None",
            python: { "values = [\($0)]\nreturn min(values) if values else None" },
            compute: { .optional($0.min()) }),
        Aggregate(
            slug: "sumsq", name: "squares_total", phrase: "the sum of the squares", vague: "the sum of the powers",
            opposite: "the square of the sum", options: ["the sum of the squares", "the square of the sum"],
            emptyValue: "0", emptyPython: "0", returnType: "int",
            python: { "return sum(x * x for x in (\($0)))" }, compute: { .int($0.map { $0 * $0 }.reduce(0, +)) }),
    ] }

    static func problems() -> [BankProblem] {
        let conditions = ListFilterFamily.conditions.filter {
            ["even", "odd", "gt_3", "div_3", "lt_4", "in_1_5", "ge_5"].contains($0.slug)
        }
        var result: [BankProblem] = []
        for aggregate in aggregates {
            for condition in conditions {
                result.append(BankProblem(spec: spec(aggregate: aggregate, condition: condition)))
            }
        }
        return result
    }

    static func spec(aggregate: Aggregate, condition: ListFilterFamily.Condition) -> BankSpec {
        let id = "lists/aggregate/\(aggregate.slug)_\(condition.slug)"
        let noun = aggregate.slug == "max" || aggregate.slug == "min" ? "element" : "elements"
        let selection = "of the \(noun) of numbers that are \(condition.phrase)"
        let vagueCondition = condition.vague.hasPrefix("that ") ? condition.vague : "that are " + condition.vague
        let emptySentence = "If no element qualifies, return \(aggregate.emptyValue)."
        let facts = [
            SpecFact(
                phrase: "that are \(condition.phrase)", vague: vagueCondition, omission: "",
                opposite: "that are \(condition.opposite)", topic: condition.topic, options: condition.options,
                clarification: "Only the elements that are \(condition.phrase) count."),
            SpecFact(
                phrase: "Return \(aggregate.phrase)", vague: "Return \(aggregate.vague)",
                opposite: "Return \(aggregate.opposite)", topic: "which value to compute from the selected elements",
                options: aggregate.options, clarification: "Return \(aggregate.phrase) of the selected elements."),
            SpecFact.empty(sentence: emptySentence, answer: "When no element qualifies, return \(aggregate.emptyValue)."),
        ]
        let generator = "x for x in numbers if \(condition.python)"
        var draw = InputDraw(id)
        let b = condition.boundary
        var inputs: [[PyValue]] = [
            [.ints([b[0], b[1] + 4, b.last!, b[1], -b[0] - 2])],
            [.ints([b[1], b[0] + 6, b[0] - 5])],
            [.ints([])],
            [.ints(b)],
            [.ints([b[0], b[0] - 10])],
            [.ints([b[0], b[0] + 10])],
        ]
        for _ in 0..<4 { inputs.append([.ints(draw.ints(count: 2...7, in: (b[0] - 6)...(b[0] + 7)))]) }
        let cases = BankSpec.cases(inputs) { args in aggregate.compute(args.ints(0).filter(condition.holds)) }
        return BankSpec(
            id: id, entryPoint: aggregate.name, parameters: [("numbers", "list[int]")],
            returnType: aggregate.returnType,
            sentences: ["Return \(aggregate.phrase) \(selection).", emptySentence],
            facts: facts, body: aggregate.python(generator), cases: cases, family: "lists/aggregate")
    }
}
