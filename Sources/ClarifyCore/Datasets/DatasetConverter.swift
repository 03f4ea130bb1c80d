import Foundation

/// The formats `clarifycoder data convert` writes.
public enum ConversionTarget: String, Sendable, Codable, CaseIterable {
    /// Chat JSONL: a problem becomes user(prompt) → assistant(reference solution in a fence).
    case chat
    /// HumanEval JSONL: tests of any form become a `check(candidate)` program.
    case humaneval
}

/// Converts a dataset file to another format, streaming, with an atomic write: the output
/// appears only when the whole conversion succeeded (or, under `--on-error skip`, when every
/// record that could be converted was, the rest being counted and listed).
public enum DatasetConverter {
    public struct Report: Sendable, Codable, Hashable {
        public var input: String
        public var output: String
        public var from: DatasetFormat
        public var to: ConversionTarget
        public var written = 0
        /// Reading statistics, including records that could not be converted (as skipped lines).
        public var stats = JSONLStats()
    }

    public static func convert(
        input: String, output: String, from format: DatasetFormat? = nil, to target: ConversionTarget,
        options: JSONLReadOptions = JSONLReadOptions()
    ) throws(JSONLError) -> Report {
        let reader = try DatasetReader(path: input, format: format, options: options)
        let writer = try JSONLWriter.atomic(path: output)
        var report = Report(input: input, output: output, from: reader.format, to: target)
        var conversionErrors: [JSONLError] = []
        while let item = try reader.next() {
            do {
                switch target {
                case .chat: try writer.write(try chat(item.record))
                case .humaneval: try writer.write(try humanEval(item.record))
                }
                report.written += 1
            } catch {
                var located = error
                located.file = input
                located.line = item.line
                guard options.onError == .skip else { throw located }
                conversionErrors.append(located)
            }
        }
        try writer.commit()
        report.stats = reader.stats
        report.stats.records -= conversionErrors.count
        report.stats.skipped += conversionErrors.count
        let room = max(0, options.maxListedErrors - report.stats.errors.count)
        report.stats.errors += conversionErrors.prefix(room)
        report.stats.errors.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        return report
    }

    /// A problem as a problem → code chat example; dialogues pass through.
    public static func chat(_ record: DatasetRecord) throws(JSONLError) -> Dialogue {
        switch record {
        case .dialogue(let dialogue):
            return dialogue
        case .problem(let problem):
            guard let solution = problem.referenceSolution else {
                throw JSONLError(
                    file: "", field: "reference_solution",
                    reason: .invalidValue("problem \(problem.id) has no reference solution to answer with"))
            }
            let fenced = "```python\n" + solution.trimmingCharacters(in: .newlines) + "\n```"
            return Dialogue(
                messages: [.user(problem.prompt), .assistant(fenced)],
                metadata: [
                    "id": problem.id, "source": problem.source, "category": ClarificationCategory.original.rawValue,
                ])
        }
    }

    /// A problem as a HumanEval record, keeping HumanEval's invariant that `prompt +
    /// canonical_solution` is the reference program. When the reference solution starts with the
    /// prompt (HumanEval, HumanEvalComm) the rest is `canonical_solution`; otherwise (MBPP, where
    /// the prompt is prose) the prompt becomes a module docstring and the whole solution follows.
    public static func humanEval(_ record: DatasetRecord) throws(JSONLError) -> HumanEvalRecord {
        guard case .problem(let problem) = record else {
            throw JSONLError(
                file: "", reason: .invalidValue("a chat dialogue has no tests; it cannot become a HumanEval problem"))
        }
        guard let entryPoint = problem.entryPoint else {
            throw JSONLError(
                file: "", field: "entry_point",
                reason: .invalidValue(
                    "problem \(problem.id) has no entry point (stdin/stdout problems cannot be HumanEval problems)"))
        }
        let solution = problem.referenceSolution ?? ""
        var prompt = problem.prompt
        var body = solution
        if solution.hasPrefix(problem.prompt) {
            body = String(solution.dropFirst(problem.prompt.count))
        } else {
            let escaped = problem.prompt.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"\"\"", with: "\\\"\\\"\\\"")
            prompt = "\"\"\"\n\(escaped)\n\"\"\"\n\n"
        }
        return HumanEvalRecord(
            taskID: problem.id, prompt: prompt, entryPoint: entryPoint, canonicalSolution: body,
            test: try CheckProgram.make(for: problem))
    }
}
