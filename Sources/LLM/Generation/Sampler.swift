import Foundation
import Tensor

/// Picks the next token from a row of logits, applying the processors in the order
/// `transformers`' `generate` and vLLM do: repetition penalty (prompt and output), presence and
/// frequency penalties (output only, as OpenAI and vLLM define them), temperature, top-k, top-p,
/// then a draw (or argmax when the temperature is 0).
public struct Sampler: Sendable {
    public let parameters: GenerationParameters
    var generator: SeededGenerator

    public init(parameters: GenerationParameters, seed: UInt64) {
        self.parameters = parameters
        generator = SeededGenerator(seed: seed)
    }

    /// The next token after `prompt` and the `output` generated so far.
    public mutating func next(logits: [Float], prompt: [Int], output: [Int]) -> Int {
        var logits = logits
        if parameters.repetitionPenalty != 1 {
            let penalty = parameters.repetitionPenalty
            for id in Set(prompt).union(output) where id < logits.count {
                logits[id] = logits[id] < 0 ? logits[id] * penalty : logits[id] / penalty
            }
        }
        if parameters.presencePenalty != 0 || parameters.frequencyPenalty != 0 {
            var counts: [Int: Int] = [:]
            for id in output where id < logits.count { counts[id, default: 0] += 1 }
            for (id, count) in counts {
                logits[id] -= parameters.presencePenalty + parameters.frequencyPenalty * Float(count)
            }
        }
        if parameters.temperature == 0 { return Self.argmax(logits) }
        // Candidates sorted by logit, descending; ties keep the lower id first.
        var candidates = Array(logits.indices)
        if parameters.topK > 0 && parameters.topK < candidates.count {
            candidates = Self.largest(parameters.topK, of: logits)
        } else {
            candidates.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        }
        let inverse = 1 / parameters.temperature
        let top = logits[candidates[0]] * inverse
        var probabilities = candidates.map { Foundation.exp(Double(logits[$0] * inverse - top)) }
        let total = probabilities.reduce(0, +)
        for i in probabilities.indices { probabilities[i] /= total }
        var kept = probabilities.count
        if parameters.topP < 1 {
            var cumulative = 0.0
            for (i, p) in probabilities.enumerated() {
                cumulative += p
                if cumulative >= Double(parameters.topP) {
                    kept = i + 1
                    break
                }
            }
        }
        let mass = probabilities[0..<kept].reduce(0, +)
        var draw = Double.random(in: 0..<1, using: &generator) * mass
        for i in 0..<kept {
            draw -= probabilities[i]
            if draw < 0 { return candidates[i] }
        }
        return candidates[kept - 1]
    }

    /// The index of the largest value; the lowest such index on ties (`torch.argmax`).
    public static func argmax(_ values: [Float]) -> Int {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }

    /// The `k` largest indices by value, descending (lower id first on ties).
    static func largest(_ k: Int, of values: [Float]) -> [Int] {
        // A partial selection: keep a sorted window of k; vocabularies are ~10⁵ and k small.
        var window: [Int] = []
        window.reserveCapacity(k + 1)
        for i in values.indices {
            if window.count == k, let last = window.last, values[i] <= values[last] { continue }
            var position = window.count
            while position > 0 && values[window[position - 1]] < values[i] { position -= 1 }
            window.insert(i, at: position)
            if window.count > k { window.removeLast() }
        }
        return window
    }
}
