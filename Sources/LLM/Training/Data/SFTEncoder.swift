import ClarifyCore

/// One tokenized training example: the ids of the rendered dialogue and which of them the loss
/// covers (the assistant's answers, each through its end-of-turn token).
struct SFTExample: Sendable {
    var ids: [Int32]
    /// `supervised[i]`: token i is part of an answer, so position i − 1 is trained to predict it.
    var supervised: [Bool]
    /// `file:line` of the dialogue.
    var source: String
    /// Index of the first token of the first assistant answer (where the ask-or-code decision is
    /// made), or nil when the dialogue has no answer in the kept tokens.
    var firstAnswer: Int? = nil
    /// The dialogue's group (``TrainingParameters/groupBy``): examples of one group share micro-batches.
    var group: String? = nil

    var count: Int { ids.count }
    var supervisedCount: Int { supervised.dropFirst().reduce(0) { $0 + ($1 ? 1 : 0) } }
}

/// Renders dialogues with a chat template and tokenizes them so that only assistant tokens carry
/// labels — TRL's `assistant_only_loss` (its `{% generation %}` spans), without a Jinja engine.
///
/// The rendering of messages[0...i] must extend that of messages[0..<i]; each assistant turn is
/// split at the template's generation prompt (`<|im_start|>assistant\n`): what comes before is
/// prompt, the answer through the end-of-turn marker (`<|im_end|>`) is supervised, and the rest
/// of the turn (the newline after it) is not — generation stops at the marker. Each piece is
/// tokenized on its own, the way a prompt ending in the generation header is at inference, so
/// the answer's first token is the one the model will have to produce.
struct SFTEncoder {
    var tokenizer: Tokenizer
    var template: ChatTemplate
    var lastAssistantOnly: Bool
    var maxLength: Int
    var overflow: TrainingParameters.Overflow

    enum Outcome {
        case example(SFTExample, truncated: Bool)
        /// Too long for `maxLength` and not truncatable; the reason says by how much.
        case tooLong(String)
    }

    func encode(_ messages: [Message], source: String) throws -> Outcome {
        let lastAssistant = messages.lastIndex { $0.role == .assistant }
        var ids: [Int32] = []
        var supervised: [Bool] = []
        func append(_ text: Substring, supervise: Bool) {
            guard !text.isEmpty else { return }
            let tokens = tokenizer.encode(String(text))
            ids += tokens.map { Int32($0) }
            supervised += Array(repeating: supervise, count: tokens.count)
        }
        var rendered = ""
        var firstAnswer: Int?
        for (index, message) in messages.enumerated() {
            let full = template.render(Array(messages[...index]), addGenerationPrompt: false)
            guard full.hasPrefix(rendered) else {
                throw TrainingError("\(source): the chat template does not render message \(index) after the ones before it")
            }
            if message.role == .assistant {
                let header = template.render(Array(messages[..<index]), addGenerationPrompt: true)
                guard header.hasPrefix(rendered), full.hasPrefix(header) else {
                    throw TrainingError(
                        "\(source): the chat template's generation prompt does not start assistant message \(index)")
                }
                append(full.dropFirst(rendered.count).prefix(header.count - rendered.count), supervise: false)
                let turn = full.dropFirst(header.count)
                if firstAnswer == nil { firstAnswer = ids.count }
                let supervise = !lastAssistantOnly || index == lastAssistant
                let marker = template.endOfTurn.trimmingCharacters(in: .newlines)
                if let end = turn.range(of: marker, options: .backwards) {
                    append(turn[..<end.upperBound], supervise: supervise)
                    append(turn[end.upperBound...], supervise: false)
                } else {
                    append(turn, supervise: supervise)
                }
            } else {
                append(full.dropFirst(rendered.count), supervise: false)
            }
            rendered = full
        }
        var example = SFTExample(ids: ids, supervised: supervised, source: source, firstAnswer: firstAnswer)
        guard example.count > maxLength else { return .example(example, truncated: false) }
        let excess = example.count - maxLength
        let firstSupervised = supervised.firstIndex(of: true) ?? example.count
        // Keep at least one prompt token before the first answer token, or it would lose its label.
        guard overflow == .truncatePrompt, excess < firstSupervised else {
            return .tooLong("\(source): \(example.count) tokens > max length \(maxLength)")
        }
        example.ids.removeFirst(excess)
        example.supervised.removeFirst(excess)
        example.firstAnswer = firstAnswer.map { $0 - excess }.flatMap { $0 > 0 ? $0 : nil }
        return .example(example, truncated: true)
    }
}
