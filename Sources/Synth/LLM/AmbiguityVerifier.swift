import Backends
import ClarifyCore
import Execution
import Sandbox

/// Verified ambiguity, in the spirit of ClarifyGPT (Mu et al., 2023): a rewrite is kept only
/// if it really leaves the solution open. The model samples `samples` solutions of the rewrite
/// and as many of the original (temperature > 0, seeded so the cache can replay them); each is
/// run against the problem's tests in the sandbox, and a solution's behaviour is its pass/fail
/// pattern over the tests. The rewrite must make the solutions disagree (two or more different
/// patterns) while the original's agree (one pattern); otherwise the attempt fails with
/// ``AttemptFailure/Reason/unverified``.
///
/// ClarifyGPT compares outputs on generated inputs; we compare outcomes on the problem's own
/// tests, which needs no input generator and still separates readings that the tests tell apart.
public struct AmbiguityVerifier: Sendable {
    public let model: any ChatModel
    public let executor: ProblemExecutor
    public let samples: Int
    public let temperature: Double
    public var maxTokens: Int?

    public init(model: any ChatModel, pool: SandboxPool, samples: Int, temperature: Double = 0.8, maxTokens: Int? = 1024) {
        self.model = model
        self.executor = ProblemExecutor(pool: pool)
        self.samples = max(2, samples)
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    /// The behaviours of each side, for reports and tests.
    public struct Verdict: Sendable, Hashable {
        /// One pass/fail pattern per sampled solution of the rewrite (`"PPF"`, or `"no-code"`).
        public var rewritePatterns: [String]
        public var originalPatterns: [String]
        public var keep: Bool { Set(rewritePatterns).count > 1 && Set(originalPatterns).count == 1 }
    }

    /// Throws ``AttemptFailure`` unless the rewrite is verified ambiguous.
    public func verify(problem: Problem, rewrite: String, seed: UInt64) async throws {
        let verdict = try await judge(problem: problem, rewrite: rewrite, seed: seed)
        guard verdict.keep else {
            throw AttemptFailure(.unverified, "rewrite behaviours \(Set(verdict.rewritePatterns).sorted()), "
                + "original behaviours \(Set(verdict.originalPatterns).sorted())")
        }
    }

    /// Samples both sides (one batch of two requests) and runs every solution.
    public func judge(problem: Problem, rewrite: String, seed: UInt64) async throws -> Verdict {
        let requestSeed = Int(truncatingIfNeeded: seed & 0x7FFF_FFFF)
        let requests = [rewrite, problem.prompt].map {
            ChatRequest(
                messages: SynthesisPrompts.solve(prompt: $0), temperature: temperature, maxTokens: maxTokens,
                n: samples, seed: requestSeed)
        }
        var sides: [[String]] = []
        for result in await model.completeBatch(requests, maxConcurrent: 2) {
            switch result {
            case .success(let response): sides.append(response.choices.map(\.content))
            case .failure(let error):
                switch error.kind {
                case .authentication, .configuration, .notFound, .cancelled: throw error
                default: throw AttemptFailure(.backendError, "verification samples: \(error.message)")
                }
            }
        }
        var rewritten = problem
        rewritten.prompt = rewrite
        return Verdict(
            rewritePatterns: try await patterns(of: sides[0], problem: rewritten),
            originalPatterns: try await patterns(of: sides[1], problem: problem))
    }

    /// The pass/fail pattern of each response's code against the problem's tests.
    func patterns(of responses: [String], problem: Problem) async throws -> [String] {
        let analyses: [ResponseAnalysis]
        do {
            analyses = try await ResponseAnalyzer(pool: executor.pool).analyze(responses)
        } catch {
            throw AttemptFailure(.verificationError, "reading the sampled solutions: \(error)")
        }
        var items: [(Problem, Candidate)] = []
        var positions: [Int?] = []
        for analysis in analyses {
            guard let code = analysis.code else {
                positions.append(nil)
                continue
            }
            positions.append(items.count)
            items.append((problem, CandidateBuilder.candidate(code: code, functions: analysis.functions, problem: problem)))
        }
        let reports = await executor.execute(items)
        if let broken = reports.first(where: \.hadSandboxError) {
            throw AttemptFailure(.verificationError, "the sandbox failed: \(broken.outcomes.first { $0.status == .sandboxError }?.detail ?? "")")
        }
        return positions.map { position in
            guard let position else { return "no-code" }
            return reports[position].outcomes.map { $0.passed ? "P" : "F" }.joined()
        }
    }
}
