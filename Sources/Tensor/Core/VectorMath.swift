#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eight-lane `exp`, `tanh` and `sigmoid` for the transcendental-heavy kernels (GELU, SiLU,
/// softmax, cross-entropy, attention). glibc's scalar `tanhf` (through `expm1f`) was 13% of a
/// training step in the profile; PyTorch vectorises these with SLEEF, and so must we.
///
/// `exp` is Cephes' `expf`: n = round(x·log₂e), r = x − n·ln2 in two parts, a degree-6
/// polynomial, times 2ⁿ built in the exponent bits. Relative error ≈ 2 ulp on [−87.3, 88.7];
/// inputs are clamped there, so exp(−∞) gives 1e−38 rather than 0 (harmless next to any
/// unmasked term). `tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1))` has absolute error ≈ 1e−7.
/// Each works on eight floats at a time with AVX2/FMA (`-march=x86-64-v3`).
enum VectorMath {
    typealias Lanes = SIMD8<Float>
    static let width = 8

    @inline(__always) static func exp(_ x: Lanes) -> Lanes {
        let clamped = x.replacing(with: Lanes(repeating: -87.33654), where: x .< -87.33654)
            .replacing(with: Lanes(repeating: 88.72283), where: x .> 88.72283)
        // Round to nearest by adding 1.5·2²³: n sits in the low mantissa bits of `shifted`, which
        // also yields it as an integer without a (per-lane, unspecialised) conversion call.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_40e-4
        var p = Lanes(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * (r * r) + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let exponent = (integer &+ 127) &<< 23
        return y * unsafeBitCast(exponent, to: Lanes.self)
    }

    @inline(__always) static func tanh(_ x: Lanes) -> Lanes {
        let magnitude = x.replacing(with: -x, where: x .< 0)
        let e = exp(2 * magnitude)
        let t = 1 - 2 / (e + 1)
        return t.replacing(with: -t, where: x .< 0)
    }

    @inline(__always) static func sigmoid(_ x: Lanes) -> Lanes {
        1 / (1 + exp(-x))
    }

    @inline(__always) static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
    }

    /// Scalar forms for loop tails, from the same formulas so lanes and tails agree closely.
    @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func tanh(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

    /// Writes e^(x[j] − shift) to y[j] for j < n and returns their sum (softmax, cross-entropy,
    /// attention rows). `y` may equal `x`.
    @inline(__always)
    static func expShiftedSum(
        _ x: UnsafePointer<Float>, shift: Float, into y: UnsafeMutablePointer<Float>, count n: Int
    ) -> Float {
        var sum = Lanes()
        var j = 0
        let s = Lanes(repeating: shift)
        while j + width <= n {
            let e = exp(load(x + j) - s)
            store(e, y + j)
            sum += e
            j += width
        }
        var total = sum.sum()
        while j < n {
            let e = expf(x[j] - shift)
            y[j] = e
            total += e
            j += 1
        }
        return total
    }

    /// Σ e^(x[j] − shift) without storing.
    @inline(__always)
    static func expShiftedSum(_ x: UnsafePointer<Float>, shift: Float, count n: Int) -> Float {
        var sum = Lanes()
        var j = 0
        let s = Lanes(repeating: shift)
        while j + width <= n {
            sum += exp(load(x + j) - s)
            j += width
        }
        var total = sum.sum()
        while j < n {
            total += expf(x[j] - shift)
            j += 1
        }
        return total
    }

    /// max over x[0..<n] (−∞ for n = 0).
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, count n: Int) -> Float {
        var peak = Lanes(repeating: -.infinity)
        var j = 0
        while j + width <= n {
            let v = load(x + j)
            peak = peak.replacing(with: v, where: v .> peak)
            j += width
        }
        var result = peak.max()
        while j < n {
            result = Swift.max(result, x[j])
            j += 1
        }
        return result
    }

    /// y[i] = f(x[i]) over `range`, eight lanes at a time, `scalar` for the tail.
    @inline(__always)
    static func map(
        _ range: Range<Int>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ vector: (Lanes) -> Lanes, _ scalar: (Float) -> Float
    ) {
        var i = range.lowerBound
        while i + width <= range.upperBound {
            store(vector(load(x + i)), y + i)
            i += width
        }
        while i < range.upperBound {
            y[i] = scalar(x[i])
            i += 1
        }
    }

    /// d[i] = f(a[i], b[i]) over `range`, eight lanes at a time.
    @inline(__always)
    static func zip(
        _ range: Range<Int>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>,
        _ vector: (Lanes, Lanes) -> Lanes, _ scalar: (Float, Float) -> Float
    ) {
        var i = range.lowerBound
        while i + width <= range.upperBound {
            store(vector(load(a + i), load(b + i)), d + i)
            i += width
        }
        while i < range.upperBound {
            d[i] = scalar(a[i], b[i])
            i += 1
        }
    }
}
