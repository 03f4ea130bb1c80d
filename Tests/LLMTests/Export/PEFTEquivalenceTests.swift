import Foundation
import Testing

@testable import LLM

/// Adapters saved by `peft` itself, on a base saved by `transformers`, against peft's own logits
/// (`Fixtures/Export/make_peft_logits.py`): unmerged, merged in memory, and merged through a
/// GGUF export.
@Suite("PEFT adapters give PEFT's logits")
struct PEFTEquivalenceTests {
    struct Fixture: Decodable {
        let ids: [Int]
        let sample_ids: [Int]
        let base: [LogitSlice]
        let adapter: [LogitSlice]
        let adapter_rslora: [LogitSlice]
    }

    static func fixture() throws -> Fixture { try Fixtures.json(Fixture.self, "Export/peft_logits.json") }

    func expectPEFT(_ rows: [[Float]], _ slices: [LogitSlice], _ fixture: Fixture, _ what: String) {
        #expect(rows.count == slices.count)
        for (t, (row, slice)) in zip(rows, slices).enumerated() {
            // 1e-3 relative to the position's largest logit.
            let tolerance = 1e-3 * max(slice.top_logits.map(abs).max()!, 1)
            expectMatches(row, slice, sampleIDs: fixture.sample_ids, tolerance: tolerance, "\(what) pos \(t)")
        }
    }

    @Test("the base alone, and with peft's r=4 all-projection adapter unmerged and merged, match within 1e-3")
    func allProjections() throws {
        let fixture = try Self.fixture()
        let base = try LanguageModel(path: Fixtures.path("Export/peft-base"))
        let adapter = try LoRAAdapter(folder: Fixtures.path("Export/peft-adapter"))
        #expect(adapter.config.targets == LoRATarget.allCases && adapter.modules.count == 14)
        expectPEFT(allLogits(base.model, fixture.ids), fixture.base, fixture, "base")
        let adapted = try base.applying(adapter)
        expectPEFT(allLogits(adapted.model, fixture.ids), fixture.adapter, fixture, "unmerged")
        expectPEFT(allLogits(adapted.merged().model, fixture.ids), fixture.adapter, fixture, "merged")
    }

    @Test("an rsLoRA adapter on q and v uses alpha/sqrt(r) as peft does")
    func rsLoRA() throws {
        let fixture = try Self.fixture()
        let adapter = try LoRAAdapter(folder: Fixtures.path("Export/peft-adapter-rslora"))
        #expect(adapter.config.useRSLoRA && adapter.config.scale == 4)
        let model = try LanguageModel(path: Fixtures.path("Export/peft-base"), adapter: adapter)
        expectPEFT(allLogits(model.model, fixture.ids), fixture.adapter_rslora, fixture, "rslora")
    }

    @Test("the merged model exported as GGUF F32 and as a Hugging Face folder still gives peft's logits")
    func exported() throws {
        let fixture = try Self.fixture()
        let adapted = try LanguageModel(
            path: Fixtures.path("Export/peft-base"), adapter: LoRAAdapter(folder: Fixtures.path("Export/peft-adapter")))
        let gguf = temporaryPath("peft") + ".gguf"
        let folder = temporaryPath("peft-hf")
        defer {
            try? FileManager.default.removeItem(atPath: gguf)
            try? FileManager.default.removeItem(atPath: folder)
        }
        try GGUFExport.write(adapted, type: .f32, to: gguf)
        expectPEFT(allLogits(try LanguageModel(path: gguf).model, fixture.ids), fixture.adapter, fixture, "gguf")
        try HuggingFaceExport.write(adapted, to: folder)
        expectPEFT(allLogits(try LanguageModel(path: folder).model, fixture.ids), fixture.adapter, fixture, "hf")
    }

    @Test("PEFT variants this engine would run wrongly (DoRA, per-module ranks, trained biases) are refused by field")
    func refusesVariants() throws {
        let source = Fixtures.path("Export/peft-adapter-rslora")
        for (field, value) in [
            ("use_dora", true as Any), ("rank_pattern", ["q_proj": 8] as Any), ("bias", "all" as Any),
        ] {
            let folder = temporaryPath("variant")
            try FileManager.default.copyItem(atPath: source, toPath: folder)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let path = folder + "/adapter_config.json"
            var json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            json[field] = value
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
            do {
                _ = try LoRAAdapter(folder: folder)
                Issue.record("\(field) was accepted")
            } catch {
                #expect(String(describing: error).contains(field))
            }
        }
    }
}
