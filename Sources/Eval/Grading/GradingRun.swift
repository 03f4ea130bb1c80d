import ClarifyCore
import Execution
import Foundation

/// `clarifycoder grade`: any evaluator over a file of responses, with a per-item record and a summary
/// that measures the evaluator against reference grades when the input has them.
///
/// The output folder holds `grades.jsonl` (one ``GradedItem`` per item, appended as batches finish),
/// `summary.json` and `summary.md`, and `settings.json` (the evaluator and input it was made with).
/// Running again with the same settings resumes: graded items are kept, failed ones tried again.
public struct GradingRun: Sendable {
    public struct Parameters: Sendable {
        public var data: String
        public var out: String
        public var onError: OnError
        /// Which items to grade (``GradeSummary/Subset/name``): all, or a subset's items only.
        public var only: Selection
        /// Items handed to the evaluator at once (and written together).
        public var batchSize: Int

        public init(data: String, out: String, onError: OnError = .fail, only: Selection = .all, batchSize: Int = 8) {
            self.data = data
            self.out = out
            self.onError = onError
            self.only = only
            self.batchSize = max(1, batchSize)
        }
    }

    public enum Selection: String, Sendable, CaseIterable, Codable {
        case all, questions, balanced
        case questionsBalanced = "questions_balanced"
    }

    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var failed: Int
        /// Items kept from an earlier run of the same settings.
        public var resumed: Int
    }

    public let parameters: Parameters
    public let evaluator: any QuestionEvaluator
    public let analyzer: ResponseAnalyzer

    public init(parameters: Parameters, evaluator: any QuestionEvaluator, analyzer: ResponseAnalyzer) {
        self.parameters = parameters
        self.evaluator = evaluator
        self.analyzer = analyzer
    }

    struct Settings: Codable, Equatable {
        var evaluator: String
        var data: String
        var only: Selection
    }

    public func run(progress: @Sendable (Progress) -> Void = { _ in }) async throws -> GradeSummary {
        let (items, skipped) = try Self.read(parameters.data, onError: parameters.onError)
        let folder = URL(fileURLWithPath: parameters.out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try checkSettings(folder)

        let kinds = try await analyzer.analyze(items.map(\.response)).map(\.kind)
        var records = items.indices.map { index in
            GradedItem(
                id: items[index].id, quality: nil, answers: "", judgeOutput: nil, scores: nil,
                responseKind: kinds[index].rawValue, referenceGrade: items[index].referenceGrade, error: nil, seconds: 0)
        }
        let selected = Set(Self.select(parameters.only, records).map(\.id))
        let gradesPath = folder.appendingPathComponent("grades.jsonl").path
        // Opened first: a last line cut short by a kill is truncated before the earlier grades are read.
        let (writer, _) = try JSONLWriter.resuming(path: gradesPath)
        var earlier: [String: GradedItem] = [:]
        for record in try JSONL.readAll(GradedItem.self, from: gradesPath).records { earlier[record.id] = record }
        var todo: [Int] = []
        for index in items.indices where selected.contains(items[index].id) {
            if let done = earlier[items[index].id], done.quality != nil {
                records[index] = done
            } else {
                todo.append(index)
            }
        }
        let resumed = selected.count - todo.count
        var state = Progress(done: resumed, total: selected.count, failed: 0, resumed: resumed)
        progress(state)
        var judgedSeconds = 0.0
        for start in stride(from: 0, to: todo.count, by: parameters.batchSize) {
            let batch = Array(todo[start..<min(start + parameters.batchSize, todo.count)])
            let queries = batch.map { index in
                EvaluationQuery(
                    original: items[index].original, modified: items[index].modified, questions: items[index].response,
                    category: items[index].queryCategory)
            }
            let clock = ContinuousClock.now
            let verdicts = await evaluator.evaluate(queries)
            let elapsed = ContinuousClock.now - clock
            let seconds = elapsed.seconds
            judgedSeconds += seconds
            for (index, verdict) in zip(batch, verdicts) {
                records[index].seconds = seconds / Double(batch.count)
                switch verdict {
                case .success(let verdict):
                    records[index].quality = verdict.grade
                    records[index].answers = verdict.answers
                    records[index].judgeOutput = verdict.raw
                    records[index].scores = verdict.scores
                    records[index].error = nil
                case .failure(let failure):
                    records[index].error = failure.description
                    state.failed += 1
                }
                try writer.write(records[index])
            }
            state.done += batch.count
            progress(state)
        }
        try writer.commit()

        let graded = records.filter { selected.contains($0.id) }
        let summary = GradeSummary(
            evaluator: evaluator.name, data: parameters.data, items: graded.count,
            failed: graded.filter { $0.quality == nil }.count, skippedLines: skipped.count, skippedErrors: skipped,
            secondsPerItem: todo.isEmpty ? nil : judgedSeconds / Double(todo.count),
            subsets: Selection.allCases.map { GradeSummary.subset($0.rawValue, Self.select($0, graded)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(summary).write(to: folder.appendingPathComponent("summary.json"), options: .atomic)
        try Data(summary.markdown.utf8).write(to: folder.appendingPathComponent("summary.md"), options: .atomic)
        return summary
    }

    static func select(_ selection: Selection, _ records: [GradedItem]) -> [GradedItem] {
        let questions = records.filter { $0.responseKind == ResponseKind.question.rawValue }
        switch selection {
        case .all: return records
        case .questions: return questions
        case .balanced: return GradeSummary.balanced(records)
        case .questionsBalanced: return GradeSummary.balanced(questions)
        }
    }

    /// The input's items, and how many lines `--on-error skip` passed over; a repeated id is an error
    /// naming both lines.
    static func read(_ path: String, onError: OnError) throws -> (items: [GradeItem], skipped: [String]) {
        let reader = try JSONLReader(path: path, options: JSONLReadOptions(onError: onError))
        var items: [GradeItem] = []
        var lines: [String: Int] = [:]
        var duplicates: [String] = []
        while let item = try reader.next(GradeItem.self) {
            let line = reader.stats.lines
            if let first = lines[item.id] {
                let error = JSONLError(
                    file: path, line: line, field: "id",
                    reason: .invalidValue("the id '\(item.id)' was already used on line \(first)"))
                if onError == .fail { throw error }
                duplicates.append(error.description)
                continue
            }
            lines[item.id] = line
            items.append(item)
        }
        guard !items.isEmpty else { throw JSONLError(file: path, reason: .empty) }
        return (items, reader.stats.errors.map(\.description) + duplicates)
    }

    /// A folder graded before must have been graded by the same evaluator from the same input.
    func checkSettings(_ folder: URL) throws {
        let url = folder.appendingPathComponent("settings.json")
        let settings = Settings(evaluator: evaluator.name, data: parameters.data, only: parameters.only)
        if let data = try? Data(contentsOf: url) {
            let previous = try? JSONDecoder().decode(Settings.self, from: data)
            guard previous == settings else {
                throw GradingError(
                    "\(folder.path) holds grades made with other settings (\(String(decoding: data, as: UTF8.self))); "
                        + "choose another --out or remove it")
            }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(settings).write(to: url, options: .atomic)
    }
}

/// A `grade` run that cannot go on, with what to do.
public struct GradingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
