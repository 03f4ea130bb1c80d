import Foundation

/// What `clarifycoder data inspect` reports about a dataset file, computed in one streaming
/// pass (only counters are kept, so files of any size summarise in bounded memory).
public struct DatasetSummary: Codable, Sendable, Hashable {
    public var path: String
    public var format: DatasetFormat
    /// Problems (or dialogues, for chat files).
    public var records = 0
    /// Duplicate problem ids are worth knowing before training or evaluation.
    public var duplicateIds = 0
    /// Variants per clarification category (`1a`: 164, …).
    public var variantsPerCategory: [String: Int] = [:]
    /// How many problems have each field filled (`entry_point`, `reference_solution`, `tests`,
    /// `variants`), or for chat files each role / a system message.
    public var fieldCoverage: [String: Int] = [:]
    /// Problems per test form (`check_program`, `cases`, `asserts`, `stdio`).
    public var testForms: [String: Int] = [:]
    /// HumanEvalComm test cases per relation kind (`==`, `expression`, `template`).
    public var testRelations: [String: Int] = [:]
    /// Tests per problem (a check program counts one).
    public var testsPerProblem = Distribution()
    /// Messages per dialogue (chat files).
    public var messagesPerDialogue = Distribution()
    /// Lines read, blank lines, skipped lines and their errors.
    public var stats = JSONLStats()

    /// Smallest, largest, total and mean of a count.
    public struct Distribution: Codable, Sendable, Hashable {
        public var count = 0
        public var total = 0
        public var min: Int?
        public var max: Int?
        public var mean: Double { count == 0 ? 0 : Double(total) / Double(count) }

        mutating func add(_ value: Int) {
            count += 1
            total += value
            min = Swift.min(min ?? value, value)
            max = Swift.max(max ?? value, value)
        }

        enum CodingKeys: String, CodingKey { case count, total, min, max, mean }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            count = try container.decode(Int.self, forKey: .count)
            total = try container.decode(Int.self, forKey: .total)
            min = try container.decodeIfPresent(Int.self, forKey: .min)
            max = try container.decodeIfPresent(Int.self, forKey: .max)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(count, forKey: .count)
            try container.encode(total, forKey: .total)
            try container.encodeIfPresent(min, forKey: .min)
            try container.encodeIfPresent(max, forKey: .max)
            try container.encode((mean * 100).rounded() / 100, forKey: .mean)
        }
    }

    public init(path: String, format: DatasetFormat) {
        self.path = path
        self.format = format
    }

    /// Reads the whole file and summarises it. Under ``OnError/skip`` bad lines are counted in
    /// ``stats``; under ``OnError/fail`` the first one is thrown.
    public static func inspect(
        path: String, format: DatasetFormat? = nil, options: JSONLReadOptions = JSONLReadOptions()
    ) throws(JSONLError) -> DatasetSummary {
        let reader = try DatasetReader(path: path, format: format, options: options)
        var summary = DatasetSummary(path: path, format: reader.format)
        // Ids are hashed to keep memory small on huge files; a collision only undercounts duplicates.
        var seen = Set<Int>()
        while let item = try reader.next() {
            summary.records += 1
            switch item.record {
            case .problem(let problem):
                if !seen.insert(problem.id.hashValue).inserted { summary.duplicateIds += 1 }
                summary.add(problem)
            case .dialogue(let dialogue):
                summary.add(dialogue)
            }
        }
        summary.stats = reader.stats
        return summary
    }

    mutating func add(_ problem: Problem) {
        for variant in problem.variants { variantsPerCategory[variant.category.rawValue, default: 0] += 1 }
        if problem.entryPoint != nil { fieldCoverage["entry_point", default: 0] += 1 }
        if problem.referenceSolution != nil { fieldCoverage["reference_solution", default: 0] += 1 }
        if problem.tests.count > 0 { fieldCoverage["tests", default: 0] += 1 }
        if !problem.variants.isEmpty { fieldCoverage["variants", default: 0] += 1 }
        testsPerProblem.add(problem.tests.count)
        switch problem.tests {
        case .checkProgram: testForms["check_program", default: 0] += 1
        case .cases(let cases):
            testForms["cases", default: 0] += 1
            for test in cases {
                let kind = test.isTemplate ? "template" : test.relation == "==" ? "==" : "expression"
                testRelations[kind, default: 0] += 1
            }
        case .asserts: testForms["asserts", default: 0] += 1
        case .stdio: testForms["stdio", default: 0] += 1
        }
    }

    mutating func add(_ dialogue: Dialogue) {
        messagesPerDialogue.add(dialogue.messages.count)
        // Each role present counts once; a scan per role instead of a Set keeps hashing out of the hot loop.
        for role in Role.allCases where dialogue.messages.contains(where: { $0.role == role }) {
            fieldCoverage[role.rawValue, default: 0] += 1
        }
        if dialogue.messages.last?.role == .assistant { fieldCoverage["ends_with_assistant", default: 0] += 1 }
    }
}
