import ClarifyCore

/// One sample of one prompt: the unit the runner carries through both rounds and stores.
struct PromptUnit: Sendable {
    var position: Int
    var problem: Problem
    var category: ClarificationCategory
    var prompt: String
    var changes: [Change]
    var sample: Int

    var key: ItemKey { ItemKey(problemID: problem.id, category: category, sample: sample) }

    /// The run's prompts in a fixed order — problem order, original first, then the categories in
    /// HumanEvalComm order, then samples — so stored positions never depend on completion order.
    static func units(for parameters: EvaluationParameters) throws -> [PromptUnit] {
        let problems = Array(parameters.problems.prefix(parameters.limit ?? Int.max))
        var units: [PromptUnit] = []
        var position = 0
        for problem in problems {
            var prompts: [(ClarificationCategory, String, [Change])] = []
            if parameters.mode == .humaneval || parameters.options.includeOriginals {
                prompts.append((.original, problem.prompt, []))
            }
            if parameters.mode != .humaneval {
                for variant in problem.variants.sorted(by: { Self.order($0.category) < Self.order($1.category) }) {
                    prompts.append((variant.category, variant.prompt, variant.changes))
                }
            }
            for (category, prompt, changes) in prompts {
                for sample in 0..<parameters.options.samples {
                    units.append(
                        PromptUnit(
                            position: position, problem: problem, category: category, prompt: prompt,
                            changes: changes, sample: sample))
                }
                position += 1
            }
        }
        if parameters.mode != .humaneval, !problems.contains(where: { !$0.variants.isEmpty }) {
            throw EvaluationError(
                "the \(parameters.benchmark) problems have no modified prompts (prompt1a … prompt3acp); a "
                    + "\(parameters.mode.rawValue) run needs a HumanEvalComm-format file")
        }
        return units
    }

    static func order(_ category: ClarificationCategory) -> Int {
        ClarificationCategory.allCases.firstIndex(of: category) ?? 0
    }
}
