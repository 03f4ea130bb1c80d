import ClarifyCore

/// Natural, varied wording for the questions, answers and the one-line summary of a rule-based
/// variant, each grounded on one ``Change`` (and the fact behind it).
///
/// Several phrasings per situation are chosen by the seeded generator, so a model trained on
/// the output learns to ask about the *content* of the gap, not to copy one template. A
/// question never states the removed or correct text itself (quality control checks this).
enum ClarificationPhrasing {
    static func pick(_ options: [String], _ generator: inout SeededGenerator) -> String {
        options[Int.random(in: 0..<options.count, using: &generator)]
    }

    /// "A or B" / "A, B or C".
    static func alternatives(_ options: [String]) -> String {
        guard options.count > 1 else { return options.first ?? "" }
        return options.dropLast().joined(separator: ", ") + " or " + options.last!
    }

    static func topic(of edit: PromptEdit) -> String {
        switch edit {
        case .blur(let fact), .omit(let fact): return fact.topic
        case .dropExamples: return "the expected output format"
        case .contradict, .flipExample: return "a conflict between the description and the examples"
        }
    }

    static func question(for edit: PromptEdit, change: Change, generator: inout SeededGenerator) -> String {
        switch edit {
        case .blur(let fact):
            let vague = change.replacement ?? fact.phrase
            var options = [
                "Could you clarify \(fact.topic)?",
                "The description says '\(vague)' — can you be more specific about \(fact.topic)?",
                "What exactly do you mean by '\(vague)'?",
            ]
            if fact.options.count > 1 {
                options.append("When you say '\(vague)', do you mean \(alternatives(fact.options))?")
                options.append("Should it be \(alternatives(fact.options))?")
            }
            return pick(options, &generator)
        case .omit(let fact):
            return pick([
                "The description doesn't say \(fact.topic.hasPrefix("whether") ? fact.topic : "what " + fact.topic + " is") — could you specify it?",
                "Could you tell me \(fact.topic)?",
                "I don't see anything about \(fact.topic); what should it be?",
                "Can you clarify \(fact.topic)?",
            ] + (fact.options.count > 1 ? ["Regarding \(fact.topic): should it be \(alternatives(fact.options))?"] : []),
            &generator)
        case .dropExamples:
            return pick([
                "Could you give an example input together with the expected output?",
                "Can you show a sample call and the result you expect, so I get the return format right?",
                "What should the function return for a concrete input — could you give one or two examples?",
            ], &generator)
        case .contradict:
            let said = change.replacement ?? ""
            return pick([
                "The description says '\(said)', but the examples seem to show something else — which one should I follow?",
                "The text ('\(said)') and the examples disagree. Which is correct?",
                "The examples suggest otherwise — is it really '\(said)'?",
            ], &generator)
        case .flipExample:
            let call = change.description.components(separatedBy: " now shows ").first?
                .replacingOccurrences(of: "the example ", with: "") ?? "the example"
            let shown = change.replacement ?? ""
            return pick([
                "The example says \(call) returns \(shown), but that doesn't seem to match the description — which one is right?",
                "For \(call), should the result really be \(shown), as the example shows?",
                "The example \(call) → \(shown) looks inconsistent with the text. Is the example or the description correct?",
            ], &generator)
        }
    }

    static func answer(for edit: PromptEdit, change: Change, generator: inout SeededGenerator) -> String {
        let fact = change.clarification ?? ""
        switch edit {
        case .blur, .omit:
            return pick(["\(fact)", "Good question. \(fact)", "Sure — \(fact)", "\(fact) That's the requirement."], &generator)
        case .dropExamples:
            return pick(["\(fact)", "Here you go: \(fact.prefix(1).lowercased() + fact.dropFirst())"], &generator)
        case .contradict:
            return pick([
                "Follow the examples; the text is wrong there. \(fact)",
                "The examples are correct. \(fact)",
            ], &generator)
        case .flipExample:
            return pick(["\(fact)", "Sorry, that example has a typo. \(fact)"], &generator)
        }
    }

    static func summary(topics: [String], generator: inout SeededGenerator) -> String {
        var unique: [String] = []
        for topic in topics where !unique.contains(topic) { unique.append(topic) }
        let list = alternativesAnd(unique)
        return pick([
            "Before I write the code, I need to clarify \(list).",
            "I need to know \(list) first.",
            "A few details are missing or unclear: \(list).",
            "I'm not sure about \(list), so I have some questions.",
        ], &generator)
    }

    static func alternativesAnd(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
