import Foundation
import Testing

@testable import Tensor

/// Reads the fixture written by `scripts/fixtures/make_llama_block_fixture.py` (safetensors layout:
/// u64 header length, JSON header, little-endian data). Only F32 and I32, which is all it holds.
private struct Fixture {
    let floats: [String: Tensor]
    let ints: [String: [Int32]]

    init() throws {
        guard
            let url = Bundle.module.url(
                forResource: "llama_block", withExtension: "safetensors", subdirectory: "Fixtures")
        else {
            throw FixtureError("Fixtures/llama_block.safetensors is missing from the test bundle")
        }
        let bytes = try Data(contentsOf: url)
        let headerSize = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian })
        let header =
            try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + headerSize))) as? [String: Any] ?? [:]
        var floats: [String: Tensor] = [:]
        var ints: [String: [Int32]] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let range = entry["data_offsets"] as? [Int]
            else {
                throw FixtureError("llama_block.safetensors: malformed header entry \(name)")
            }
            let data = bytes.subdata(in: (8 + headerSize + range[0])..<(8 + headerSize + range[1]))
            switch dtype {
            case "F32":
                floats[name] = Tensor(data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, shape: shape)
            case "I32": ints[name] = data.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
            default: throw FixtureError("llama_block.safetensors: \(name) has unsupported dtype \(dtype)")
            }
        }
        self.floats = floats
        self.ints = ints
    }

    func tensor(_ name: String) throws -> Tensor {
        guard let tensor = floats[name] else { throw FixtureError("llama_block.safetensors has no tensor \(name)") }
        return tensor
    }
}

private struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The same 2-layer Llama model as the Python script, written with the engine's ops.
/// x: (B, T, D) throughout; q: (B, T, Hq, Dh), k/v: (B, T, Hkv, Dh).
private func llamaForward(_ p: [String: Tensor], ids: [Int32]) -> Tensor {
    let (b, t, d, hq, hkv, layers) = (2, 8, 32, 4, 2, 2)
    let dh = d / hq
    let positions = Array(0..<t)
    var x = Tensor.embedding(p["embed"]!, ids: ids, shape: [b, t])
    for layer in 0..<layers {
        let w = { (name: String) in p["layers.\(layer).\(name)"]! }
        var h = x.rmsNorm(weight: w("attn_norm"), epsilon: 1e-5)
        let q = h.linear(w("q")).reshaped([b, t, hq, dh]).rotaryEmbedding(positions: positions)
        let k = h.linear(w("k")).reshaped([b, t, hkv, dh]).rotaryEmbedding(positions: positions)
        let v = h.linear(w("v")).reshaped([b, t, hkv, dh])
        let attention = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
        x = x + attention.reshaped([b, t, d]).linear(w("o"))
        h = x.rmsNorm(weight: w("mlp_norm"), epsilon: 1e-5)
        x = x + (h.linear(w("gate")).silu() * h.linear(w("up"))).linear(w("down"))
    }
    return x.rmsNorm(weight: p["norm"]!, epsilon: 1e-5).linear(p["embed"]!)
}

/// ‖actual − expected‖∞ / ‖expected‖∞: the error relative to the tensor's own scale.
private func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
    let a = actual.toArray()
    let e = expected.toArray()
    let scale = e.map(abs).max() ?? 0
    let worst = zip(a, e).map { abs($0 - $1) }.max() ?? 0
    return scale == 0 ? worst : worst / scale
}

@Suite("Golden reference: a 2-layer Llama block against PyTorch")
struct GoldenLlamaBlockTests {
    /// The fixture's stated tolerance: every tensor within 1e-4 of PyTorch, relative to its largest element.
    static let tolerance: Float = 1e-4

    @Test("logits, loss, every weight gradient and one AdamW step match PyTorch to 1e-4")
    func matchesPyTorch() throws {
        let fixture = try Fixture()
        let names = fixture.floats.keys.filter { $0.hasPrefix("param.") }.map { String($0.dropFirst(6)) }.sorted()
        #expect(names.count == 20)
        var parameters: [String: Tensor] = [:]
        for name in names {
            let parameter = try fixture.tensor("param.\(name)").contiguousCopy()
            parameter.requiresGrad = true
            parameters[name] = parameter
        }
        let ids = try #require(fixture.ints["ids"])
        let targets = try #require(fixture.ints["targets"])

        let logits = llamaForward(parameters, ids: ids)
        #expect(relativeError(logits, try fixture.tensor("logits")) <= Self.tolerance, "logits")
        let loss = Tensor.crossEntropy(logits: logits.reshaped([-1, 48]), targets: targets)
        let expectedLoss = try fixture.tensor("loss").item()
        #expect(
            abs(loss.item() - expectedLoss) <= Self.tolerance * abs(expectedLoss),
            "loss \(loss.item()) vs \(expectedLoss)")

        loss.backward()
        for name in names {
            let grad = try #require(parameters[name]!.grad, "no gradient for \(name)")
            let error = relativeError(grad, try fixture.tensor("grad.\(name)"))
            #expect(error <= Self.tolerance, "gradient of \(name) is off by \(error) relative")
        }

        let ordered = names.map { parameters[$0]! }
        var optimizer = AdamW(parameters: ordered, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1)
        optimizer.step(learningRate: 1e-2)
        for name in names {
            let error = relativeError(parameters[name]!, try fixture.tensor("adamw.\(name)"))
            #expect(error <= Self.tolerance, "\(name) after AdamW is off by \(error) relative")
        }
    }
}
