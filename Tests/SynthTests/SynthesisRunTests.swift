import ClarifyCore
import Foundation
import Testing

@testable import Synth

/// A fresh scratch directory per test.
func scratchDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "synth-tests-\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func contents(_ path: String) -> Data { (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data() }

@Suite("Synthesis run")
struct SynthesisRunTests {
    static let problems = Array(ProblemBank.all.map(\.problem).prefix(30))
    static let files = ["examples.jsonl", "problems.jsonl", "manifest.json", "README.md", "humanevalcomm.jsonl"]

    func parameters(_ out: String, resume: Bool = false, limit: Int? = nil) -> SynthesisRun.Parameters {
        SynthesisRun.Parameters(
            categories: [.ambiguous1, .incomplete1, .inconsistent1, .all3], perProblem: 3, seed: 7,
            outputDirectory: out, resume: resume, command: "clarifycoder synthesize --seed 7", limit: limit)
    }

    @Test("the whole bank gives at least three complete variants per problem, with counts and a card")
    func wholeBank() async throws {
        let out = scratchDirectory("bank")
        let bank = ProblemBank.all.map(\.problem)
        let manifest = try await SynthesisRun.run(
            problems: bank, synthesizer: RuleBasedSynthesizer(),
            parameters: SynthesisRun.Parameters(outputDirectory: out, command: "clarifycoder synthesize --problems bank"))
        let examples = try JSONL.readAll(ClarifyExample.self, from: out + "/examples.jsonl").records
        #expect(manifest.examples == examples.count && manifest.problems == bank.count)
        let perProblem = Dictionary(grouping: examples, by: \.problemID)
        #expect(bank.allSatisfy { (perProblem[$0.id]?.count ?? 0) >= 3 })
        for example in examples {
            #expect(!example.prompt.isEmpty && !example.changes.isEmpty && !example.questions.isEmpty)
            #expect(example.questions.count == example.answers.count && !example.summary.isEmpty && !example.code.isEmpty)
            #expect(example.changes.allSatisfy { $0.clarification != nil && $0.original != nil })
            #expect(example.dialogue.messages.map(\.role) == [.user, .assistant, .user, .assistant])
        }
        #expect(Set(manifest.rejections.keys) == Set(RejectionReason.allCases.map(\.rawValue)))
        let card = String(decoding: contents(out + "/README.md"), as: UTF8.self)
        #expect(card.contains("clarifycoder synthesize --problems bank") && card.contains("| leak |"))
        // The manifest says what made it, in the shape every manifest uses.
        let saved = try JSONSerialization.jsonObject(with: contents(out + "/manifest.json")) as! [String: Any]
        let provenance = try #require(saved["provenance"] as? [String: Any])
        #expect(provenance["clarifycoder_version"] as? String == ClarifyCoderVersion.current)
        #expect(Set(provenance.keys) == ["clarifycoder_version", "git_commit", "model", "model_sha256", "command"])
        #expect(card.contains("Made by ClarifyCoder \(ClarifyCoderVersion.current)"))
    }

    @Test("a run stopped after some problems and killed mid-write resumes to the same files")
    func resumeAfterKill() async throws {
        let straight = scratchDirectory("straight")
        try await SynthesisRun.run(problems: Self.problems, synthesizer: RuleBasedSynthesizer(), parameters: parameters(straight))

        let interrupted = scratchDirectory("interrupted")
        try await SynthesisRun.run(
            problems: Self.problems, synthesizer: RuleBasedSynthesizer(), parameters: parameters(interrupted, limit: 11))
        // What kill -9 leaves: the next problem's examples written, its ledger line not, and a
        // half-written line at the end of each file.
        let next = Self.problems[11]
        let extra = try JSONL.readAll(ClarifyExample.self, from: straight + "/examples.jsonl").records
            .filter { $0.problemID == next.id }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: interrupted + "/examples.jsonl"))
        handle.seekToEndOfFile()
        for example in extra { handle.write(try encoder.encode(example) + Data("\n".utf8)) }
        handle.write(Data("{\"id\": \"half a reco".utf8))
        try handle.close()
        let ledger = try FileHandle(forWritingTo: URL(fileURLWithPath: interrupted + "/problems.jsonl"))
        ledger.seekToEndOfFile()
        ledger.write(Data("{\"problem_id\": \"bank/".utf8))
        try ledger.close()
        #expect(!FileManager.default.fileExists(atPath: interrupted + "/manifest.json"))

        await #expect(throws: SynthesisError.self) {
            try await SynthesisRun.run(problems: Self.problems, synthesizer: RuleBasedSynthesizer(), parameters: self.parameters(interrupted))
        }
        try await SynthesisRun.run(
            problems: Self.problems, synthesizer: RuleBasedSynthesizer(), parameters: parameters(interrupted, resume: true))
        for file in Self.files {
            #expect(contents(straight + "/" + file) == contents(interrupted + "/" + file), "\(file) differs after resume")
            #expect(!contents(straight + "/" + file).isEmpty, "\(file) is empty")
        }
    }

    @Test("resuming with different settings is refused")
    func resumeWithOtherSeed() async throws {
        let out = scratchDirectory("seed")
        try await SynthesisRun.run(
            problems: Self.problems, synthesizer: RuleBasedSynthesizer(), parameters: parameters(out, limit: 3))
        var other = parameters(out, resume: true)
        other.seed = 8
        await #expect(throws: SynthesisError.self) {
            try await SynthesisRun.run(problems: Self.problems, synthesizer: RuleBasedSynthesizer(), parameters: other)
        }
    }

    @Test("the HumanEvalComm file round-trips through the HumanEvalComm loader")
    func humanEvalCommRoundTrip() async throws {
        let out = scratchDirectory("hec")
        try await SynthesisRun.run(problems: Self.problems, synthesizer: RuleBasedSynthesizer(), parameters: parameters(out))
        let examples = try JSONL.readAll(ClarifyExample.self, from: out + "/examples.jsonl").records
        let (loaded, _) = try DatasetReader.loadProblems(path: out + "/humanevalcomm.jsonl")
        #expect(try DatasetFormat.detect(path: out + "/humanevalcomm.jsonl") == .humanevalcomm)
        #expect(loaded.count == Self.problems.count)
        for (problem, original) in zip(loaded, Self.problems) {
            #expect(problem.id == original.id && problem.prompt == original.prompt)
            let categories = Set(examples.filter { $0.problemID == original.id }.map(\.category))
            #expect(Set(problem.variants.map(\.category)) == categories)
            guard case .cases(let cases) = problem.tests else { Issue.record("no test cases"); continue }
            #expect(cases.count >= 5 && cases.allSatisfy { $0.relation == "==" })
        }
    }
}
