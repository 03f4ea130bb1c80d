import ClarifyCore
import Foundation
import Testing

@testable import Synth

/// Tests against the cached HumanEval (`clarifycoder data fetch` puts it there; scripts/test.sh
/// runs that first). They fail, naming the command, when it is absent.
@Suite("HumanEval")
struct HumanEvalSynthesisTests {
    static func humanEval() throws -> [Problem] {
        let path = try AssetStore().path(for: .humaneval)
        return try DatasetReader.loadProblems(path: path).problems
    }

    @Test("no bank problem overlaps HumanEval beyond the 13-gram threshold")
    func decontaminated() throws {
        let reference = try Self.humanEval()
        #expect(reference.count == 164)
        let check = Decontamination(reference: reference)
        for item in ProblemBank.all {
            let overlap = check.overlap(item.problem)
            #expect(overlap.statement <= 0.1 && overlap.solution <= 0.1,
                    "\(item.problem.id): statement \(overlap.statement), solution \(overlap.solution)")
        }
        // The check itself must see overlap: a HumanEval problem overlaps itself fully.
        #expect(check.overlap(reference[0]).statement == 1)
    }

    @Test("HumanEval prompts become HumanEvalComm records the loader reads back")
    func offlineBenchmark() async throws {
        let problems = try Self.humanEval()
        let out = scratchDirectory("humaneval")
        let manifest = try await SynthesisRun.run(
            problems: problems, synthesizer: RuleBasedSynthesizer(),
            parameters: SynthesisRun.Parameters(
                categories: SynthesisRun.categories(forKinds: ["ambiguous", "incomplete", "inconsistent", "combos"]),
                perProblem: 7, outputDirectory: out, sourceName: "humaneval"))
        #expect(manifest.problemsWithoutExamples <= 12, "\(manifest.problemsWithoutExamples) problems without variants")
        let (loaded, _) = try DatasetReader.loadProblems(path: out + "/humanevalcomm.jsonl")
        #expect(loaded.count == problems.count - manifest.problemsWithoutExamples)
        let variants = loaded.flatMap(\.variants)
        #expect(variants.count > 3 * loaded.count)
        for category in [ClarificationCategory.ambiguous1, .incomplete1, .inconsistent1] {
            #expect(variants.filter { $0.category == category }.count > loaded.count / 2, "few \(category.rawValue)")
        }
        // The check program travels whole in the extra `test` field.
        let first = try #require(String(decoding: contents(out + "/humanevalcomm.jsonl"), as: UTF8.self).split(separator: "\n").first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect((record["test"] as? String)?.contains("def check(candidate)") == true)
    }
}
