#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pointwise functions and their derivatives.
///
/// Each derivative is a fused kernel over (x, y, dy) so backward makes one pass and one
/// allocation. Formulas match PyTorch: GELU "tanh" is `0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))`
/// (`F.gelu(approximate="tanh")`, GPT-2's), GELU "exact" is `0.5·x·(1 + erf(x/√2))`; SiLU is
/// `x·σ(x)` (Llama's MLP gate).
public enum UnaryFunction: String, Sendable {
    case exp, log, tanh, sigmoid, silu, geluTanh, geluExact, relu, sqrt, square
}

private let sqrt2OverPi: Float = 0.7978845608028654
private let geluCubic: Float = 0.044715
private let invSqrt2: Float = 0.7071067811865476
private let invSqrt2Pi: Float = 0.3989422804014327

@inline(__always) private func sigmoidf(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

extension Tensor {
    public func exp() -> Tensor { apply(.exp) }
    public func log() -> Tensor { apply(.log) }
    public func tanh() -> Tensor { apply(.tanh) }
    public func sigmoid() -> Tensor { apply(.sigmoid) }
    public func silu() -> Tensor { apply(.silu) }
    /// GELU; `approximate: true` is the tanh form (GPT-2), `false` the erf form (BERT, PyTorch default).
    public func gelu(approximate: Bool = true) -> Tensor { apply(approximate ? .geluTanh : .geluExact) }
    public func relu() -> Tensor { apply(.relu) }
    public func sqrt() -> Tensor { apply(.sqrt) }
    public func square() -> Tensor { apply(.square) }

    /// y = f(x) elementwise.
    public func apply(_ function: UnaryFunction) -> Tensor {
        let x = contiguousData()
        let out = Tensor.empty(shape)
        let px = Parallel.Pointer(x.data)
        let py = Parallel.Pointer(out.data)
        Parallel.forRanges(count, grain: 16_384) { range in
            let x = px.base
            let y = py.base
            switch function {
            case .exp: VectorMath.map(range, x, y, { VectorMath.exp($0) }, { expf($0) })
            case .log: for i in range { y[i] = logf(x[i]) }
            case .tanh: VectorMath.map(range, x, y, { VectorMath.tanh($0) }, { tanhf($0) })
            case .sigmoid: VectorMath.map(range, x, y, { VectorMath.sigmoid($0) }, { sigmoidf($0) })
            case .silu: VectorMath.map(range, x, y, { $0 * VectorMath.sigmoid($0) }, { $0 * sigmoidf($0) })
            case .geluTanh:
                VectorMath.map(
                    range, x, y,
                    { v in
                        0.5 * v * (1 + VectorMath.tanh(sqrt2OverPi * (v + geluCubic * v * v * v)))
                    }, { v in 0.5 * v * (1 + tanhf(sqrt2OverPi * (v + geluCubic * v * v * v))) })
            case .geluExact: for i in range { y[i] = 0.5 * x[i] * (1 + erff(x[i] * invSqrt2)) }
            case .relu: for i in range { y[i] = Swift.max(x[i], 0) }
            case .sqrt: for i in range { y[i] = sqrtf(x[i]) }
            case .square: for i in range { y[i] = x[i] * x[i] }
            }
        }
        let input = x.detached()
        let output = out.detached()
        return out.recorded(function.rawValue, [self]) { g in
            [Tensor.unaryBackward(function, x: input, y: output, dy: g)]
        }
    }

    /// dx = f'(x) · dy, using whichever of x and y = f(x) is cheaper.
    static func unaryBackward(_ function: UnaryFunction, x: Tensor, y: Tensor, dy: Tensor) -> Tensor {
        let g = dy.contiguousData()
        let dx = Tensor.empty(x.shape)
        let px = Parallel.Pointer(x.data)
        let py = Parallel.Pointer(y.data)
        let pg = Parallel.Pointer(g.data)
        let pd = Parallel.Pointer(dx.data)
        Parallel.forRanges(x.count, grain: 16_384) { range in
            let x = px.base
            let y = py.base
            let g = pg.base
            let d = pd.base
            switch function {
            case .exp: for i in range { d[i] = g[i] * y[i] }
            case .log: for i in range { d[i] = g[i] / x[i] }
            case .tanh: for i in range { d[i] = g[i] * (1 - y[i] * y[i]) }
            case .sigmoid: for i in range { d[i] = g[i] * y[i] * (1 - y[i]) }
            case .silu:
                VectorMath.zip(
                    range, x, g, d,
                    { v, gv in
                        let s = VectorMath.sigmoid(v)
                        return gv * (s + v * s * (1 - s))
                    },
                    { v, gv in
                        let s = sigmoidf(v)
                        return gv * (s + v * s * (1 - s))
                    })
            case .geluTanh:
                VectorMath.zip(
                    range, x, g, d,
                    { v, gv in
                        let t = VectorMath.tanh(sqrt2OverPi * (v + geluCubic * v * v * v))
                        let dInner = sqrt2OverPi * (1 + 3 * geluCubic * v * v)
                        return gv * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner)
                    },
                    { v, gv in
                        let t = tanhf(sqrt2OverPi * (v + geluCubic * v * v * v))
                        let dInner = sqrt2OverPi * (1 + 3 * geluCubic * v * v)
                        return gv * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner)
                    })
            case .geluExact:
                for i in range {
                    let v = x[i]
                    let cdf = 0.5 * (1 + erff(v * invSqrt2))
                    d[i] = g[i] * (cdf + v * invSqrt2Pi * expf(-0.5 * v * v))
                }
            case .relu: for i in range { d[i] = x[i] > 0 ? g[i] : 0 }
            case .sqrt: for i in range { d[i] = g[i] / (2 * y[i]) }
            case .square: for i in range { d[i] = 2 * x[i] * g[i] }
            }
        }
        return dx
    }
}
