import Tensor

/// A base weight as autograd's ``FrozenMatrix``: what LoRA over a quantized model multiplies with.
///
/// Forward is ``WeightMatrix/apply(_:count:into:)`` without the integer kernels (bands of the
/// weight dequantized into SGEMM, fp32 activations: the fp32 model's arithmetic on the quantized
/// weights). Backward needs dx = dy · W, the weight read along its columns, which the row-major
/// blocks of a GGUF do not give directly: each thread owns a band of dx's columns (a whole number
/// of blocks) and walks the weight's rows in tiles, dequantizing a (tileRows × band) tile and
/// accumulating dy[:, tile] · tile into its columns with one single-threaded SGEMM. Tiles stay
/// small (≤ 256 KB) whatever the shape — the 151,936-row output layer included — and every weight
/// is decoded once per call. Threads write disjoint columns, so the result does not depend on the
/// thread count.
public struct FrozenWeight: FrozenMatrix, @unchecked Sendable {
    public let matrix: WeightMatrix
    public var rows: Int { matrix.rows }
    public var columns: Int { matrix.columns }

    /// Columns per band and rows per tile of the backward product.
    static let bandColumns = 128, tileRows = 512

    /// `matrix` read with fp32 activations (its LoRA update, if any, left out: the base is frozen).
    public init(_ matrix: WeightMatrix) {
        switch matrix.storage {
        case .float: self.matrix = matrix.adapted(by: nil)
        case .quantized(let type, let bytes, let owner):
            self.matrix = WeightMatrix(
                quantized: type, bytes: bytes, owner: owner, rows: matrix.rows, columns: matrix.columns,
                integerKernels: false)
        }
    }

    public func multiply(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        matrix.applyFrozen(x, count: n, into: y)
    }

    public func multiplyTransposed(_ dy: UnsafePointer<Float>, count n: Int, into dx: UnsafeMutablePointer<Float>) {
        let (rows, columns) = (matrix.rows, matrix.columns)
        guard n > 0 else { return }
        guard case .quantized(let type, let base, _) = matrix.storage else {
            DenseFrozenMatrix(matrix.floatTensor()).multiplyTransposed(dy, count: n, into: dx)
            return
        }
        let rowBytes = columns / type.blockSize * type.blockBytes
        // A band is a whole number of blocks (K-quants: 256 columns).
        let band = Swift.max(type.blockSize, Self.bandColumns / type.blockSize * type.blockSize)
        let bands = (columns + band - 1) / band
        let tileRows = Self.tileRows
        let weights = UnsafeSendableRaw(base)
        let input = Parallel.Pointer(UnsafeMutablePointer(mutating: dy)), output = Parallel.Pointer(dx)
        let simd = QuantizedDot.supports(type)
        BLAS.singleThreaded {
            Parallel.forRanges(bands) { bandRange in
                let tile = UnsafeMutablePointer<Float>.allocate(capacity: tileRows * band)
                defer { tile.deallocate() }
                for b in bandRange {
                    let first = b * band, width = Swift.min(band, columns - first)
                    let blockOffset = first / type.blockSize * type.blockBytes
                    for start in stride(from: 0, to: rows, by: tileRows) {
                        let count = Swift.min(tileRows, rows - start)
                        for r in 0..<count {
                            let source = weights.pointer + (start + r) * rowBytes + blockOffset
                            if simd {
                                QuantizedDot.dequantize(type, source, count: width, into: tile + r * width)
                            } else {
                                Dequantize.row(type, source, count: width, into: tile + r * width)
                            }
                        }
                        // dx[:, band] (n × width) (+)= dy[:, tile rows] (n × count) · tile (count × width)
                        BLAS.gemm(
                            transA: false, transB: false, m: n, n: width, k: count, a: input + start, lda: rows,
                            b: tile, ldb: width, beta: start == 0 ? 0 : 1, c: output + first, ldc: columns)
                    }
                }
            }
        }
    }
}
