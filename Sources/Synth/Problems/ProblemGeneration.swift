import Backends
import ClarifyCore
import Foundation

/// A problem-generation run: seed snippets in; `items.jsonl` (the append-only ledger),
/// `problems.jsonl`, `manifest.json` and a README card out; resumable after a hard kill.
///
/// Snippets are drawn in a seeded order (documented functions and doctest runs first), item `i`
/// always the same snippet, and each finished item
/// appends one line to the ledger at once, in completion order. A resumed run skips every index
/// the ledger holds (backend failures aside, which it retries), so a kill loses only the items in
/// flight and duplicates none; the set is assembled from the whole ledger in index order at the
/// end of every run, so it does not depend on where runs were interrupted.
public enum ProblemGeneration {
    public struct Parameters: Sendable {
        /// The longest answer: a function, its docstring and a check block fit in ~300 tokens; 900
        /// leaves room without letting a looping answer run on.
        public static let defaultMaxTokens = 900

        /// The model as the user named it, for the manifest and the resume check.
        public var model: String
        /// `stdlib` or the folder as given.
        public var seedsName: String
        public var count: Int
        public var seed: UInt64
        public var concurrency: Int
        public var outputDirectory: String
        public var resume: Bool
        public var maxTokens: Int
        /// Benchmarks to decontaminate against, by name (HumanEval first).
        public var benchmarks: [(name: String, problems: [Problem])]
        /// Draw only items `0..<limit` (a bounded run; resume continues it); 0 only reassembles.
        public var limit: Int?
        public var provenance: Provenance

        public init(
            model: String, seedsName: String, count: Int, seed: UInt64 = 0, concurrency: Int = 8,
            outputDirectory: String, resume: Bool = false, maxTokens: Int = Parameters.defaultMaxTokens,
            benchmarks: [(name: String, problems: [Problem])] = [], limit: Int? = nil, provenance: Provenance? = nil
        ) {
            self.model = model
            self.seedsName = seedsName
            self.count = count
            self.seed = seed
            self.concurrency = max(1, concurrency)
            self.outputDirectory = outputDirectory
            self.resume = resume
            self.maxTokens = maxTokens
            self.benchmarks = benchmarks
            self.limit = limit
            self.provenance = provenance ?? Provenance(model: model)
        }
    }

    public struct Progress: Sendable {
        /// Items in the ledger, this run's and earlier runs'.
        public var itemsDone: Int
        /// Problems that would be kept now (assembled in completion order; the final set is
        /// assembled in item order and may differ by a few).
        public var kept: Int
        public var count: Int
        public var lastRejection: String?
    }

    @discardableResult
    public static func run(
        model: any ChatModel, verifier: ProblemVerifier, corpus: SeedCorpus, seedFolder: String,
        parameters: Parameters, progress: (Progress) -> Void = { _ in }
    ) async throws -> ProblemManifest {
        let files = ProblemRunFiles(directory: parameters.outputDirectory)
        try files.prepare(settings: ProblemRunSettings(parameters), resume: parameters.resume)
        let (ledger, earlier) = try files.openLedger()
        var items: [Int: GenerationItem] = [:]
        for item in earlier { items[item.index] = item }
        guard !corpus.snippets.isEmpty else {
            let manifest = assemble(items: [], corpus: corpus, seedFolder: seedFolder, parameters: parameters).manifest
            try files.write(manifest: manifest, problems: [])
            throw ProblemGenerationError(
                "\(seedFolder) holds no Python snippets (\(corpus.filesRead) .py files read, "
                    + "\(corpus.unreadable.count) unreadable); the manifest in \(parameters.outputDirectory) says which")
        }
        var generator = SeededGenerator(seed: parameters.seed, salt: "problems")
        // Seeded shuffle, then preferred snippets (documented functions, doctest runs) first, each
        // part keeping the shuffled order.
        let shuffled = Array(corpus.snippets.indices).shuffled(using: &generator)
        let order = shuffled.filter { corpus.snippets[$0].isPreferred } + shuffled.filter { !corpus.snippets[$0].isPreferred }
        let contamination = BenchmarkContamination(benchmarks: parameters.benchmarks.flatMap { $0.problems })
        var estimate = ProblemSetAssembler(contamination: contamination, count: Int.max, source: parameters.seedsName)
        for index in items.keys.sorted() where items[index]!.passedPerItemStages { estimate.offer(items[index]!) }
        let limit = min(order.count, parameters.limit ?? order.count)
        var pending = (0..<limit).filter { items[$0] == nil || items[$0]!.rejection == GenerationItem.backendError }
            .makeIterator()
        let worker = ItemWorker(
            model: model, verifier: verifier, seed: parameters.seed, maxTokens: parameters.maxTokens,
            idPrefix: parameters.seedsName == "stdlib" ? "stdlib" : "seeds")
        // Answers an earlier run rejected only because their tests ran into the token limit.
        for index in items.keys.sorted() {
            guard let rechecked = await worker.recheck(items[index]!) else { continue }
            try ledger.write(rechecked)
            items[index] = rechecked
            if rechecked.passedPerItemStages { estimate.offer(rechecked) }
        }
        try await withThrowingTaskGroup(of: GenerationItem.self) { group in
            var running = 0
            func launchMore() {
                while running < parameters.concurrency, estimate.kept.count < parameters.count,
                    !Task.isCancelled, let index = pending.next()
                {
                    let snippet = corpus.snippets[order[index]]
                    group.addTask { await worker.process(index: index, snippet: snippet) }
                    running += 1
                }
            }
            launchMore()
            while let item = try await group.next() {
                running -= 1
                try ledger.write(item)
                items[item.index] = item
                if item.passedPerItemStages { estimate.offer(item) }
                progress(
                    Progress(
                        itemsDone: items.count, kept: estimate.kept.count, count: parameters.count,
                        lastRejection: item.rejection))
                launchMore()
            }
        }
        try ledger.commit()
        let (manifest, kept) = assemble(
            items: items.values.sorted { $0.index < $1.index }, corpus: corpus, seedFolder: seedFolder,
            parameters: parameters)
        try files.write(manifest: manifest, problems: kept)
        return manifest
    }

    /// The set and its manifest from the ledger's items, in index order.
    static func assemble(
        items: [GenerationItem], corpus: SeedCorpus, seedFolder: String, parameters: Parameters
    ) -> (manifest: ProblemManifest, kept: [GeneratedProblemRecord]) {
        var assembler = ProblemSetAssembler(
            contamination: BenchmarkContamination(benchmarks: parameters.benchmarks.flatMap { $0.problems }),
            count: parameters.count, source: parameters.seedsName)
        var stages = Dictionary(uniqueKeysWithValues: ProblemStage.allCases.map { ($0.rawValue, 0) })
        var rejections: [String: Int] = [:]
        for item in items {
            for stage in ProblemStage.perItem where stage <= item.reached { stages[stage.rawValue]! += 1 }
            if let rejection = item.rejection { rejections[rejection, default: 0] += 1 }
            if item.passedPerItemStages { assembler.offer(item) }
        }
        stages[ProblemStage.deduplicated.rawValue] = assembler.deduplicated
        stages[ProblemStage.decontaminated.rawValue] = assembler.decontaminated
        stages[ProblemStage.kept.rawValue] = assembler.kept.count
        rejections.merge(assembler.rejections) { $0 + $1 }
        let records = assembler.kept.map { GeneratedProblemRecord(item: $0, draft: $0.draft!) }
        let verdicts = assembler.kept.compactMap(\.verdict)
        let mutants = verdicts.reduce(0) { $0 + $1.mutantsTotal }
        let modules = Dictionary(grouping: assembler.kept, by: \.seed.module).mapValues(\.count)
        let topModules = modules.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(20)
        let manifest = ProblemManifest(
            model: parameters.model, seeds: parameters.seedsName, seedFolder: seedFolder, seed: parameters.seed,
            count: parameters.count, kept: records.count, surplus: assembler.surplus, seedFiles: corpus.filesRead,
            unreadableFiles: corpus.unreadable, snippets: corpus.snippets.count, stages: stages, rejections: rejections,
            topics: Dictionary(grouping: records, by: \.topic).mapValues(\.count),
            difficulty: Dictionary(grouping: records, by: \.difficulty).mapValues(\.count),
            seedModules: Dictionary(uniqueKeysWithValues: topModules.map { ($0.key, $0.value) }),
            seedKinds: Dictionary(grouping: records, by: \.seedKind.rawValue).mapValues(\.count),
            mutantKillRate: mutants == 0
                ? nil : Double(verdicts.reduce(0) { $0 + $1.mutantsKilled }) / Double(mutants),
            completionTokens: items.reduce(0) { $0 + ($1.completionTokens ?? 0) },
            itemSeconds: items.reduce(0) { $0 + $1.seconds }, benchmarks: parameters.benchmarks.map { $0.name },
            provenance: parameters.provenance)
        return (manifest, records)
    }
}

/// What one item goes through: the model's answer, parsing, the static check, the sandbox.
struct ItemWorker: Sendable {
    let model: any ChatModel
    let verifier: ProblemVerifier
    let seed: UInt64
    let maxTokens: Int
    let idPrefix: String

    func process(index: Int, snippet: SeedSnippet) async -> GenerationItem {
        let clock = ContinuousClock()
        let start = clock.now
        var item = GenerationItem(index: index, id: "\(idPrefix)/\(index)", seed: snippet, reached: .sampled, seconds: 0)
        func finish(_ item: GenerationItem) -> GenerationItem {
            var item = item
            item.seconds = (clock.now - start).seconds
            return item
        }
        let response: ChatResponse
        do {
            let request = ProblemPrompt.request(snippet, seed: Int(truncatingIfNeeded: seed &+ UInt64(index)), maxTokens: maxTokens)
            response = try await model.complete(request)
        } catch {
            item.rejection = GenerationItem.backendError
            item.detail = "\(error)"
            return finish(item)
        }
        item.reached = .generated
        item.completionTokens = response.usage?.completionTokens
        return finish(
            await check(item, reply: response.text, cut: response.choices.first?.finishReason == .length))
    }

    /// An item of an earlier run rejected as ``ParseFailure/unclosedCodeBlock``, checked again from
    /// its stored reply (no model call) now that the parser keeps the complete asserts of tests cut
    /// off at the token limit; nil when it still does not parse. A stored reply is a prefix of the
    /// answer, which the salvage treats like any cut.
    func recheck(_ earlier: GenerationItem) async -> GenerationItem? {
        guard earlier.rejection == ParseFailure.unclosedCodeBlock.rawValue, let reply = earlier.reply,
            case .success = ProblemReplyParser.parse(reply)
        else { return nil }
        let clock = ContinuousClock()
        let start = clock.now
        var item = GenerationItem(
            index: earlier.index, id: earlier.id, seed: earlier.seed, reached: .generated, seconds: earlier.seconds)
        item.completionTokens = earlier.completionTokens
        item = await check(item, reply: reply, cut: true)
        item.seconds += (clock.now - start).seconds
        return item
    }

    /// Parsing, the static check and the sandbox, for an item whose answer is `reply`.
    private func check(_ item: GenerationItem, reply: String, cut: Bool) async -> GenerationItem {
        var item = item
        let draft: DraftProblem
        switch ProblemReplyParser.parse(reply) {
        case .failure(let failure):
            item.rejection = failure.rawValue
            item.detail = cut ? "the answer was cut at the token limit" : nil
            item.reply = String(reply.prefix(4000))
            return item
        case .success(let parsed):
            draft = parsed
        }
        item.draft = draft
        item.reached = .parsed
        if let violation = SelfContainedCheck.violation(in: draft.prompt + draft.solution + "\n" + draft.test) {
            item.rejection = GenerationItem.notSelfContained
            item.detail = violation
            return item
        }
        item.reached = .selfContained
        let verdict = await verifier.verify(draft, id: item.id)
        item.verdict = verdict
        if let repaired = verdict.repairedTest { item.draft?.test = repaired }
        if let rejection = verdict.rejection {
            let failed = ProblemVerifier.stage(of: rejection)
            item.reached = ProblemStage.allCases[ProblemStage.allCases.firstIndex(of: failed)! - 1]
            item.rejection = rejection.rawValue
            item.detail = verdict.detail
        } else {
            item.reached = .mutantKilling
        }
        return item
    }
}

/// An error of a problem-generation run, saying what to do.
public struct ProblemGenerationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
