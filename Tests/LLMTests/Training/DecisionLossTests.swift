import ClarifyCore
import Foundation
import Tensor
import Testing

@testable import LLM

/// The trainer's optional decision term (``TrainingParameters/Decision``): which positions it
/// covers, that its value is the cross-entropy over exactly those positions, and that old
/// `training.json` files (written before the option existed) still read.
@Suite("Decision loss on the opening of the first answer", .serialized)
struct DecisionLossTests {
    @Test("the encoder marks the first token of the first answer, and moves the mark when the prompt is cut")
    func firstAnswer() throws {
        let tokenizer = try SFTDataTests.smolLM2Tokenizer.get()
        let encoder = SFTDataTests().encoder(tokenizer)
        let encoded = try #require(SFTDataTests().example(try encoder.encode(SFTDataTests.dialogue, source: "t:1")))
        let first = try #require(encoded.firstAnswer)
        #expect(encoded.supervised[first] && !encoded.supervised[first - 1])
        #expect(tokenizer.decode(encoded.ids[first..<first + 4].map(Int.init)).hasPrefix("Should it"))
        // Only the first answer counts: the second one starts later.
        #expect(encoded.supervised.firstIndex(of: true) == first)

        let cut = SFTDataTests().encoder(tokenizer, maxLength: encoded.count - 5, overflow: .truncatePrompt)
        let truncated = try #require(SFTDataTests().example(try cut.encode(SFTDataTests.dialogue, source: "t:1")))
        #expect(truncated.firstAnswer == first - 5)
        #expect(truncated.ids[first - 5] == encoded.ids[first])
    }

    @Test("a micro-batch's decision targets are the first answer's opening tokens, and its term is their mean cross-entropy")
    func targetsAndValue() throws {
        let model = try TrainerTests.model.get()
        let folder = TrainerTests.scratch("decision")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let parameters = TrainingParameters(
            model: TrainerTests.modelPath, lora: .init(rank: 4, alpha: 8, dropout: 0, targets: [.q, .v]),
            data: try TrainerTests.writeData(folder), learningRate: 1e-3, steps: 1, batchSize: 4, maxLength: 64,
            validateEvery: 0, checkpointEvery: 0, decision: .init(weight: 2, tokens: 2))
        let session = try TrainingSession(parameters: parameters, model: model, output: folder + "/run", resume: false)
        let examples = Array(session.data.stages[0].examples.prefix(4))
        let micro = session.batch(examples)
        #expect(micro.decisions.count == 1 && micro.decisions[0].key.isEmpty, "without balancing, one array for every opening")
        #expect(micro.decisions[0].targets.count == micro.targets.count)
        var expected = 0
        for (row, example) in examples.enumerated() {
            let first = try #require(example.firstAnswer)
            let opening = (first..<min(first + 2, example.count)).filter { example.supervised[$0] }
            expected += opening.count
            for t in 0..<micro.length {
                let target = micro.decisions[0].targets[row * micro.length + t]
                if opening.contains(t + 1) {
                    #expect(target == example.ids[t + 1] && micro.targets[row * micro.length + t] == target)
                } else {
                    #expect(target == -100, "row \(row) position \(t) is not an opening token")
                }
            }
        }
        #expect(micro.decision == expected && expected > 0)

        // One forward for both terms; each equals the plain cross-entropy of the full logits.
        let terms = withNoGrad {
            session.graph.losses(
                ids: micro.ids, batch: micro.rows, length: micro.length,
                targets: micro.allTargets, lora: session.lora)
        }
        let logits = withNoGrad {
            session.graph.forward(ids: micro.ids, batch: micro.rows, length: micro.length, lora: session.lora)
        }
        let flat = logits.reshaped([micro.rows * micro.length, model.config.vocabularySize])
        let main = Tensor.crossEntropy(logits: flat, targets: micro.targets).item()
        let decision = Tensor.crossEntropy(logits: flat, targets: micro.decisions[0].targets).item()
        #expect(abs(terms[0].item() - main) < 1e-4 * max(1, abs(main)))
        #expect(abs(terms[1].item() - decision) < 1e-4 * max(1, abs(decision)))
    }

    @Test("a training step logs the decision loss; training.json without the option still reads")
    func loggedAndCompatible() throws {
        let model = try TrainerTests.model.get()
        let folder = TrainerTests.scratch("decision-run")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let parameters = TrainingParameters(
            model: TrainerTests.modelPath, lora: .init(rank: 4, alpha: 8, dropout: 0, targets: [.q, .v]),
            data: try TrainerTests.writeData(folder), learningRate: 1e-3, steps: 2, batchSize: 4, maxLength: 64,
            validateEvery: 0, checkpointEvery: 0, decision: .init(weight: 3, tokens: 4))
        _ = try SFTTrainer.run(parameters, model: model, output: folder + "/run") { _ in .more }
        let steps = try TrainerResumeTests.lines(folder + "/run/metrics.jsonl").filter { $0["loss"] != nil }
        #expect(steps.count == 2 && steps.allSatisfy { ($0["decision_loss"] as? Double).map { $0 > 0 } == true })

        let saved = try JSONDecoder().decode(
            TrainingParameters.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/run/training.json")))
        #expect(saved.decision == parameters.decision)
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(parameters)) as? [String: Any])
        object["decision"] = nil
        let old = try JSONDecoder().decode(TrainingParameters.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.decision == nil)
        #expect(throws: TrainingError.self) {
            var bad = parameters
            bad.decision = .init(weight: -1)
            try bad.validate()
        }
    }

    @Test("--group-by keeps each problem's examples in one micro-batch, and refuses data without the key")
    func groupedTraining() throws {
        let model = try TrainerTests.model.get()
        let folder = TrainerTests.scratch("grouped")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try TrainerTests.write((0..<12).map { i in
            Dialogue(
                messages: [.user("word \(i)?"), .assistant(TrainerTests.answers[i % TrainerTests.answers.count])],
                metadata: ["problem_id": "p\(i % 6)"])
        }, to: folder + "/pairs.jsonl")
        var parameters = TrainingParameters(
            model: TrainerTests.modelPath, lora: .init(rank: 4, alpha: 8, dropout: 0, targets: [.q, .v]),
            data: path, learningRate: 1e-3, steps: 1, batchSize: 3, maxLength: 64, validateEvery: 0, checkpointEvery: 0,
            groupBy: "problem_id")
        var session = try TrainingSession(parameters: parameters, model: model, output: folder + "/run", resume: false)
        let examples = session.data.stages[0].examples
        #expect(examples.map(\.group) == (0..<12).map { "p\($0 % 6)" })
        for _ in 0..<6 {
            let batch = session.cursor.next().examples
            #expect(batch.count == 2, "pairs do not fit three to a batch, so each batch is one pair")
            #expect(Set(batch.map { examples[$0].group }).count == 1)
        }

        parameters.data = try TrainerTests.writeData(folder)
        #expect {
            try TrainingSession(parameters: parameters, model: model, output: folder + "/run2", resume: false)
        } throws: { ($0 as? TrainingError)?.description.contains("metadata.problem_id") == true }
    }

    @Test("with skipCommonPrefix the decision term starts after the tokens every first answer shares")
    func skipsCommonPrefix() throws {
        let model = try TrainerTests.model.get()
        let folder = TrainerTests.scratch("decision-prefix")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try Self.openings(folder) { $0 % 2 == 0 }
        let parameters = TrainingParameters(
            model: TrainerTests.modelPath, lora: .init(rank: 4, alpha: 8, dropout: 0, targets: [.q, .v]),
            data: path, learningRate: 1e-3, steps: 1, batchSize: 2, maxLength: 64, validateEvery: 0, checkpointEvery: 0,
            decision: .init(weight: 2, tokens: 1, skipCommonPrefix: true))
        let session = try TrainingSession(parameters: parameters, model: model, output: folder + "/run", resume: false)
        let examples = Array(session.data.stages[0].examples.prefix(2))
        let shared = zip(
            examples[0].ids[examples[0].firstAnswer!...], examples[1].ids[examples[1].firstAnswer!...]
        ).prefix { $0 == $1 }.count
        #expect(shared > 0 && session.decisionOffset == shared)
        let micro = session.batch(examples)
        for (row, example) in examples.enumerated() {
            let covered = (0..<micro.length).filter { micro.decisions[0].targets[row * micro.length + $0] != -100 }
            // Position t predicts token t + 1: the one token right after the shared opening.
            #expect(covered == [example.firstAnswer! + shared - 1])
        }
        #expect(micro.decisions[0].targets[micro.length + examples[1].firstAnswer! + shared - 1]
            != micro.decisions[0].targets[examples[0].firstAnswer! + shared - 1], "the covered tokens are where the answers differ")

        // Without the flag the same term covers the first answer's first token; old runs decode as without it.
        var plain = parameters
        plain.decision = .init(weight: 2, tokens: 1)
        #expect(try TrainingSession(parameters: plain, model: model, output: folder + "/run2", resume: false).decisionOffset == 0)
        let old = try JSONDecoder().decode(TrainingParameters.Decision.self, from: Data(#"{"weight": 2, "tokens": 1}"#.utf8))
        #expect(old == plain.decision)
        let back = try JSONDecoder().decode(
            TrainingParameters.Decision.self, from: JSONEncoder().encode(parameters.decision!))
        #expect(back == parameters.decision)
    }

    @Test("a balanced decision term weighs each decision equally, in a step and in validation")
    func balancedDecisions() throws {
        let model = try TrainerTests.model.get()
        let folder = TrainerTests.scratch("decision-balanced")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // One clear answer for every three questions, as in a 25:75 mixture.
        let path = try Self.openings(folder) { $0 % 4 == 0 }
        let parameters = TrainingParameters(
            model: TrainerTests.modelPath, lora: .init(rank: 4, alpha: 8, dropout: 0, targets: [.q, .v]),
            data: path, validation: path, learningRate: 1e-3, steps: 1, batchSize: 4, maxLength: 64,
            validateEvery: 0, checkpointEvery: 0, decision: .init(weight: 2, tokens: 1, skipCommonPrefix: true, balanced: true))
        let session = try TrainingSession(parameters: parameters, model: model, output: folder + "/run", resume: false)
        let examples = Array(session.data.stages[0].examples.prefix(4))
        let micro = session.batch(examples)
        #expect(micro.decisions.map(\.count) == [1, 3])
        #expect(micro.decisions.allSatisfy { $0.key.count == 1 } && micro.decisions[0].key != micro.decisions[1].key)
        for d in micro.decisions {
            #expect(d.targets.filter { $0 != -100 }.allSatisfy { [$0] == d.key }, "each array holds its own decision only")
        }
        // Each decision gets half the term, however many of its tokens the step holds.
        #expect(TrainingSession.decisionShares([micro]) == [[0.5, 0.5]])
        let split = [session.batch([examples[0], examples[1]]), session.batch([examples[2], examples[3]])]
        let shares: [[Float]] = TrainingSession.decisionShares(split)
        let expected: [[Float]] = [[1.0 / 2, 1.0 / 6], [2.0 / 6]]
        #expect(shares.map(\.count) == expected.map(\.count))
        #expect(zip(shares.joined(), expected.joined()).allSatisfy { abs($0 - $1) < 1e-6 }, "\(shares)")
        var plain = parameters
        plain.decision?.balanced = false
        let unbalanced = try TrainingSession(parameters: plain, model: model, output: folder + "/run2", resume: false)
        #expect(TrainingSession.decisionShares([unbalanced.batch(examples)]) == [[1]])

        // Validation reports the mean over decisions of each one's mean cross-entropy.
        let all = session.batch(session.data.validation)
        let logits = withNoGrad { session.graph.forward(ids: all.ids, batch: all.rows, length: all.length, lora: session.lora) }
        let flat = logits.reshaped([all.rows * all.length, model.config.vocabularySize])
        let means = all.decisions.map { Tensor.crossEntropy(logits: flat, targets: $0.targets).item() }
        let validated = try #require(session.validate().decision)
        #expect(abs(validated - Double(means.reduce(0, +)) / 2) < 1e-4, "\(validated) vs \(means)")

        // Written only when on, so settings without it read (and fingerprint) as before.
        #expect(!String(decoding: try JSONEncoder().encode(plain.decision!), as: UTF8.self).contains("balanced"))
        let back = try JSONDecoder().decode(TrainingParameters.Decision.self, from: JSONEncoder().encode(parameters.decision!))
        #expect(back == parameters.decision)
    }

    /// Eight one-turn dialogues in `folder`/openings.jsonl whose answers open with the decision
    /// sentence: "clear" where `clear(index)`, "unclear" elsewhere; returns the path.
    static func openings(_ folder: String, clear: (Int) -> Bool) throws -> String {
        try TrainerTests.write(
            (0..<8).map { i in
                Dialogue(messages: [
                    .user("word \(i)?"),
                    .assistant(clear(i) ? "The requirements are clear. yes" : "The requirements are unclear. why?"),
                ])
            }, to: folder + "/openings.jsonl")
    }
}

