import Foundation
import Testing

@testable import LLM

/// A small deterministic generator (SplitMix64), so every fuzz failure replays from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutates valid files and feeds them to each reader: every outcome must be a value or a
/// `ModelFileError` — never a crash, a hang or another error type. The loop is bounded and
/// seeded; set `CLARIFYCODER_FUZZ_ITERATIONS` for a longer run (see docs/models.md).
@Suite("reader fuzzing")
struct ReaderFuzzTests {
    static let scale = Int(ProcessInfo.processInfo.environment["CLARIFYCODER_FUZZ_ITERATIONS"] ?? "") ?? 1

    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 2:  // a hostile 64-bit count or offset
                let value: UInt64 = [0, 1, 0xFFFF_FFFF, 1 << 32, 1 << 62, .max].randomElement(using: &rng)!
                for k in 0..<min(8, bytes.count - at) { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
            case 3: bytes.removeSubrange(at...)
            case 4:
                bytes.insert(
                    contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in
                        UInt8.random(in: 0...255, using: &rng)
                    }, at: at)
            case 5: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...32, using: &rng)))
            default:  // swap in a structural character where JSON is concerned
                bytes[at] = Array("{}[]\",:0-9 ".utf8).randomElement(using: &rng)!
            }
        }
        return bytes
    }

    /// Runs `body` on `iterations` mutants of `fixture`; records any error that is not a ModelFileError.
    func fuzz(
        _ fixture: String, iterations: Int, seed: UInt64, headerBytes: Int? = nil,
        sourceLocation: SourceLocation = #_sourceLocation, _ body: ([UInt8]) throws -> Void
    ) throws -> (accepted: Int, rejected: Int) {
        let original = try Fixtures.bytes(fixture)
        var rng = SplitMix64(state: seed)
        var accepted = 0
        var rejected = 0
        for i in 0..<(iterations * Self.scale) {
            // With `headerBytes`, every other mutant changes only the structure at the start of the
            // file, so mutants get past the vocabulary checks and reach the encoder.
            var mutant: [UInt8]
            if let headerBytes, i % 2 == 0 {
                mutant = Self.mutate(Array(original[..<headerBytes]), &rng) + original[headerBytes...]
            } else {
                mutant = Self.mutate(original, &rng)
            }
            do {
                try body(mutant)
                accepted += 1
            } catch is ModelFileError {
                rejected += 1
            } catch {
                Issue.record("mutant \(i) of \(fixture) (seed \(seed)) threw \(error)", sourceLocation: sourceLocation)
            }
        }
        return (accepted, rejected)
    }

    @Test("GGUF reader survives mutated files and decodes whatever it accepts")
    func gguf() throws {
        let (accepted, rejected) = try fuzz("GGUF/quants.gguf", iterations: 3000, seed: 1) { bytes in
            let file = try GGUFFile(bytes: FileBytes(bytes: bytes, name: "fuzz.gguf"))
            for info in file.tensors where info.type != nil { _ = try file.dequantize(info.name) }
            _ = try? ModelRegistry.config(gguf: file)
            _ = try? Tokenizer(gguf: file)
        }
        #expect(rejected > 0 && accepted > 0)
    }

    @Test("GGUF checkpoints survive mutated files: config, names, shapes and un-permuted q/k")
    func ggufCheckpoint() throws {
        let (accepted, rejected) = try fuzz("Weights/tiny_llama.gguf", iterations: 1500, seed: 6) { bytes in
            let checkpoint = try GGUFCheckpoint(file: GGUFFile(bytes: FileBytes(bytes: bytes, name: "fuzz.gguf")))
            for name in checkpoint.tensorNames {
                _ = try checkpoint.shape(of: name)
                _ = try checkpoint.floats(name)
            }
        }
        #expect(rejected > 0 && accepted > 0)
    }

    @Test("safetensors reader survives mutated files")
    func safetensors() throws {
        let (accepted, rejected) = try fuzz("SafeTensors/small.safetensors", iterations: 3000, seed: 2) { bytes in
            let file = try SafeTensorsFile(bytes: FileBytes(bytes: bytes, name: "fuzz.safetensors"))
            for info in file.tensors where info.dtype.isFloatConvertible { _ = try file.floats(info.name) }
        }
        #expect(rejected > 0 && accepted > 0)
    }

    /// One fixture per pre-tokenizer family, so mutants reach each recogniser and scanner
    /// (GPT-2's ByteLevel, Qwen2's Split + NFC, Llama-3's Split + ignore_merges).
    @Test(
        "tokenizer.json reader survives mutated files and encodes with whatever it accepts",
        arguments: [("gpt2", UInt64(3)), ("qwen2", 4), ("llama3", 5)])
    func tokenizerJSON(family: String, seed: UInt64) throws {
        let (accepted, rejected) = try fuzz(
            "Tokenizer/\(family).tokenizer.json", iterations: 100, seed: seed, headerBytes: 1500
        ) { bytes in
            let tokenizer = try Tokenizer(tokenizerJSON: Data(bytes), file: "fuzz.tokenizer.json")
            let text = "def f(x):\n    return x ** 2  # ünïcode e\u{301} 12345 👍 <|endoftext|>"
            _ = tokenizer.decode(tokenizer.encode(text))
        }
        #expect(rejected > 0 && accepted > 0)
    }
}
