import Tensor

extension WeightMatrix {
    /// yᵢ (N × rowsᵢ) = x (N × columns) · Wᵢᵀ (+ each low-rank update) for weights that read the same
    /// input — q/k/v, gate/up — as one parallel region instead of one per weight: a decode step
    /// starts three regions per layer fewer, and the threads split the rows of all the weights
    /// together, by bytes read, two chunks per thread taken first come first served.
    ///
    /// Every element is what the weight's own product computes, bit for bit: the same integer kernel
    /// on the same row and the same quantized activations (quantized once per activation format,
    /// not once per weight), whichever thread runs it. Weights the integer kernels do not take
    /// (fp32, or N above ``integerBatchLimit``) run one after another through ``applyFrozen``.
    static func apply(
        _ matrices: [WeightMatrix], _ x: UnsafePointer<Float>, count n: Int, into outputs: [UnsafeMutablePointer<Float>]
    ) {
        precondition(matrices.count == outputs.count, "\(matrices.count) weights, \(outputs.count) outputs")
        let types = matrices.compactMap(\.integerType)
        guard
            n <= integerBatchLimit, types.count == matrices.count, let columns = matrices.first?.columns,
            matrices.allSatisfy({ $0.columns == columns })
        else {
            for (matrix, y) in zip(matrices, outputs) {
                matrix.applyFrozen(x, count: n, into: y)
                matrix.lowRank?.add(x, count: n, into: y)
            }
            return
        }
        // One quantized copy of x per activation format the weights read.
        var formats: [GGMLType] = []
        let formatOf = types.map { type in
            if let index = formats.firstIndex(where: { QuantizedDot.sharesActivations($0, type) }) { return index }
            formats.append(type)
            return formats.count - 1
        }
        let strides = formats.map { QuantizedDot.activationRowBytes($0, count: columns) }
        let offsets = strides.indices.map { index in strides[..<index].reduce(0, +) * n }
        let activations = UnsafeMutableRawPointer.allocate(byteCount: max(1, strides.reduce(0, +) * n), alignment: 64)
        defer { activations.deallocate() }
        for (format, type) in formats.enumerated() {
            QuantizedDot.quantizeActivations(type, x, rows: n, count: columns, into: activations + offsets[format])
        }

        let rowBytes = zip(matrices, types).map { $0.columns / $1.blockSize * $1.blockBytes }
        var starts: [Int] = [0]
        for (matrix, bytes) in zip(matrices, rowBytes) { starts.append(starts.last! + matrix.rows * bytes) }
        let total = starts.last!
        let work = GroupWork(
            weights: matrices.map { UnsafeSendableRaw($0.quantizedBase!) }, types: types, rowBytes: rowBytes,
            rows: matrices.map(\.rows), starts: starts, outputs: outputs.map(Parallel.Pointer.init),
            activations: formatOf.map { UnsafeSendableRaw(UnsafeRawPointer(activations + offsets[$0])) })
        // Two chunks per thread: the caller takes a late worker's share, and uneven speeds even out.
        let threads = Parallel.threadCount
        let chunks = min(threads == 1 ? 1 : 2 * threads, max(1, matrices.map(\.rows).reduce(0, +) / 32))
        Parallel.region(chunks) { chunk in
            let (low, high) = (total * chunk / chunks, total * (chunk + 1) / chunks)
            for index in work.types.indices {
                let first = work.row(low, of: index), end = work.row(high, of: index)
                guard first < end else { continue }
                QuantizedDot.multiply(
                    work.types[index], weights: work.weights[index].pointer, rowBytes: work.rowBytes[index],
                    rows: first..<end, count: columns, activations: work.activations[index].pointer, columns: n,
                    into: work.outputs[index].base, ldy: work.rows[index])
            }
        }
        for (matrix, y) in zip(matrices, outputs) { matrix.lowRank?.add(x, count: n, into: y) }
    }

    /// The weight's type when its small products run through the integer kernels.
    fileprivate var integerType: GGMLType? {
        guard integerKernels, case .quantized(let type, _, _) = storage else { return nil }
        return type
    }

    fileprivate var quantizedBase: UnsafeRawPointer? {
        guard case .quantized(_, let base, _) = storage else { return nil }
        return base
    }
}

/// What the threads of a grouped product share: the weights laid end to end by bytes.
private struct GroupWork: @unchecked Sendable {
    let weights: [UnsafeSendableRaw]
    let types: [GGMLType]
    let rowBytes: [Int]
    let rows: [Int]
    /// Byte offset of each weight in the concatenation, and the total at the end.
    let starts: [Int]
    let outputs: [Parallel.Pointer]
    let activations: [UnsafeSendableRaw]

    /// The first row of weight `index` at or after byte `offset` of the concatenation: a monotone
    /// map, so chunks bounded by increasing offsets cover every row exactly once.
    func row(_ offset: Int, of index: Int) -> Int {
        let within = offset - starts[index]
        return min(rows[index], max(0, (within + rowBytes[index] - 1) / rowBytes[index]))
    }
}
