import Foundation
import Testing

@testable import LLM

/// The fused integer kernels (`CQuantKernels`) against two independent references: their own
/// plain-C twin (same integer arithmetic, one element at a time), and the Swift decoders
/// (`Dequantize`, checked against the `gguf` package by the GGUF fixtures) applied to both the
/// weights and the quantized activations.
@Suite("Fused quantized dot products")
struct QuantizedDotTests {
    static let types: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

    /// `rows` random weight rows of `columns` values as `type`: random bytes with every fp16 scale
    /// (and min) replaced by a small finite value, so all codes, bits and sub-block scales are exercised.
    static func randomRows(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(state: seed)
        let blocks = rows * columns / type.blockSize
        var bytes = (0..<(blocks * type.blockBytes)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let scaleOffsets: [Int]
        switch type {
        case .q6_K: scaleOffsets = [208]
        case .q4_0, .q5_0, .q8_0: scaleOffsets = [0]
        default: scaleOffsets = [0, 2]
        }
        for b in 0..<blocks {
            for (i, offset) in scaleOffsets.enumerated() {
                let magnitude = Float(generator.next() % 100 + 1) * (i == 0 ? 1e-3 : 4e-4)
                let value = i == 0 ? magnitude : magnitude * (generator.next() % 2 == 0 ? 1 : -1)
                let bits = Float16(value).bitPattern
                bytes[b * type.blockBytes + offset] = UInt8(bits & 0xFF)
                bytes[b * type.blockBytes + offset + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }

    static func randomActivations(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(state: seed)
        return (0..<count).map { _ in Float(Int(generator.next() % 20001) - 10000) / 2500 }
    }

    /// The activations as the kernels see them: quantized, then decoded back to fp32.
    static func decodedActivations(_ type: GGMLType, _ quantized: UnsafeRawPointer, count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        if type.blockSize == 256 {
            // cq_block_q8k: d, 256 codes, 16 sums.
            for b in 0..<(count / 256) {
                let block = quantized + b * 292
                let d = block.loadUnaligned(as: Float.self)
                for j in 0..<256 { out[256 * b + j] = d * Float(block.load(fromByteOffset: 4 + j, as: Int8.self)) }
            }
        } else {
            // cq_block_q8: d, s, sum, reserved, then 32 codes.
            for b in 0..<(count / 32) {
                let block = quantized + b * 48
                let d = block.loadUnaligned(as: Float.self)
                for j in 0..<32 { out[32 * b + j] = d * Float(block.load(fromByteOffset: 16 + j, as: Int8.self)) }
            }
        }
        return out
    }

    @Test("each SIMD kernel, AVX2 and (where the processor has it) AVX-512 VNNI, equals its plain-C reference", arguments: types)
    func simdMatchesReference(type: GGMLType) {
        // The variant switch is process-wide: this test is the only one that flips it, and restores it.
        // Both variants split each block into the same int32 lanes of four byte products and scale
        // them in the same order, so their results are identical, not merely close.
        defer { QuantizedDot.allowVNNI(true) }
        QuantizedDot.allowVNNI(false)
        let avx2 = simdMatchesReference(type: type, variant: QuantizedDot.kernelVariant)
        QuantizedDot.allowVNNI(true)
        let best = simdMatchesReference(type: type, variant: QuantizedDot.kernelVariant)
        #expect(avx2 == best, "\(type): \(QuantizedDot.kernelVariant) differs from avx2")
    }

    @discardableResult
    func simdMatchesReference(type: GGMLType, variant: String) -> [Float] {
        let columns = 1024, rows = 6
        let weights = Self.randomRows(type, rows: rows, columns: columns, seed: 7)
        let x = Self.randomActivations(columns, seed: 11)
        let rowBytes = type.byteCount(elements: columns)!
        let activationBytes = QuantizedDot.activationRowBytes(type, count: columns)
        var quantized = [UInt8](repeating: 0, count: activationBytes)
        quantized.withUnsafeMutableBytes { q in
            QuantizedDot.quantizeActivations(type, x, rows: 1, count: columns, into: q.baseAddress!)
        }
        let xs = quantized.withUnsafeBytes { Self.decodedActivations(type, $0.baseAddress!, count: columns) }
        var results: [Float] = []
        weights.withUnsafeBytes { w in
            quantized.withUnsafeBytes { q in
                for r in 0..<rows {
                    let row = w.baseAddress! + r * rowBytes
                    let simd = QuantizedDot.dot(type, row: row, activations: q.baseAddress!, count: columns)
                    let reference = QuantizedDot.referenceDot(type, row: row, activations: q.baseAddress!, count: columns)
                    // The integer sums are exact in both; they differ only in the fp32 order of the
                    // scaled block sums, so the bound is relative to the sum of the terms' magnitudes.
                    let dense = try! Dequantize.toFloat(type, UnsafeRawBufferPointer(start: row, count: rowBytes), count: columns)
                    let magnitude = zip(dense, xs).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
                    #expect(abs(simd - reference) <= 1e-5 * max(1, magnitude), "\(type) row \(r), \(variant)")
                    results.append(simd)
                }
            }
        }
        return results
    }

    @Test("the reference equals the decoded weights dotted with the decoded activations", arguments: types)
    func referenceMatchesDequantize(type: GGMLType) throws {
        let columns = 512
        let weights = Self.randomRows(type, rows: 1, columns: columns, seed: 3)
        let x = Self.randomActivations(columns, seed: 5)
        var quantized = [UInt8](repeating: 0, count: QuantizedDot.activationRowBytes(type, count: columns))
        quantized.withUnsafeMutableBytes { q in
            QuantizedDot.quantizeActivations(type, x, rows: 1, count: columns, into: q.baseAddress!)
        }
        let dense = try weights.withUnsafeBytes { try Dequantize.toFloat(type, $0, count: columns) }
        let xs = quantized.withUnsafeBytes { Self.decodedActivations(type, $0.baseAddress!, count: columns) }
        let expected = zip(dense, xs).reduce(Double(0)) { $0 + Double($1.0) * Double($1.1) }
        let magnitude = zip(dense, xs).reduce(Double(0)) { $0 + abs(Double($1.0) * Double($1.1)) }
        let reference = weights.withUnsafeBytes { w in
            quantized.withUnsafeBytes { q in
                QuantizedDot.referenceDot(type, row: w.baseAddress!, activations: q.baseAddress!, count: columns)
            }
        }
        // Only fp32 rounding separates the two: the integer sums are exact in both.
        #expect(abs(Double(reference) - expected) <= 1e-5 * max(1, magnitude), "\(type)")
        // The activations' 8-bit rounding stays within half a quantization step per element, plus, for
        // the 32-element blocks, the step's own rounding to fp16 (at most 127 codes × 2⁻¹¹ of a step).
        let worst = zip(x, xs).map { abs($0 - $1) }.max()!
        let largest = x.map(abs).max()!
        let fp16Step: Float = type.blockSize == 32 ? 127.0 / 2048 : 0
        #expect(worst <= largest / 127 * (0.5 + fp16Step) + 1e-6, "\(type)")
    }

    @Test("the SIMD decoder of prefill tiles equals the Swift decoders", arguments: types)
    func simdDequantize(type: GGMLType) throws {
        let columns = 1024
        let weights = Self.randomRows(type, rows: 2, columns: columns, seed: 19)
        let expected = try weights.withUnsafeBytes { try Dequantize.toFloat(type, $0, count: 2 * columns) }
        var decoded = [Float](repeating: .nan, count: 2 * columns)
        weights.withUnsafeBytes { w in
            decoded.withUnsafeMutableBufferPointer { QuantizedDot.dequantize(type, w.baseAddress!, count: 2 * columns, into: $0.baseAddress!) }
        }
        // Both compute d·scale·q − dmin·min in fp32; only the association of the products differs.
        for i in expected.indices where !(abs(decoded[i] - expected[i]) <= 1e-6 * max(1, abs(expected[i]))) {
            Issue.record("\(type)[\(i)] = \(decoded[i]), expected \(expected[i])")
            return
        }
    }

    @Test(
        "a threaded product over several activation rows equals the kernel row by row, bit for bit",
        arguments: [GGMLType.q5_0, .q8_0, .q4_1, .q4_K, .q6_K])
    func matrixProduct(type: GGMLType) {
        // Six rows: one group of four columns and one of two, each compared with the one-column kernel.
        let columns = 512, rows = 40, batch = 6
        let weights = Self.randomRows(type, rows: rows, columns: columns, seed: 13)
        let x = Self.randomActivations(columns * batch, seed: 17)
        let matrix = weights.withUnsafeBytes { w in
            WeightMatrix(quantized: type, bytes: w.baseAddress!, owner: weights as AnyObject, rows: rows, columns: columns)
        }
        var y = [Float](repeating: 0, count: batch * rows)
        weights.withUnsafeBytes { _ in
            y.withUnsafeMutableBufferPointer { matrix.apply(x, count: batch, into: $0.baseAddress!) }
        }
        let rowBytes = type.byteCount(elements: columns)!
        var quantized = [UInt8](repeating: 0, count: QuantizedDot.activationRowBytes(type, count: columns))
        for c in 0..<batch {
            quantized.withUnsafeMutableBytes { q in
                x.withUnsafeBufferPointer {
                    QuantizedDot.quantizeActivations(
                        type, $0.baseAddress! + c * columns, rows: 1, count: columns, into: q.baseAddress!)
                }
            }
            for r in 0..<rows {
                let single = weights.withUnsafeBytes { w in
                    quantized.withUnsafeBytes { q in
                        QuantizedDot.dot(type, row: w.baseAddress! + r * rowBytes, activations: q.baseAddress!, count: columns)
                    }
                }
                // The same kernel on the same bytes, whichever thread and column order: identical results.
                #expect(y[c * rows + r] == single, "row \(r), column \(c)")
            }
        }
    }
}
