/// An n-dimensional fp32 array: a view (shape, strides, offset) over a shared ``Storage``, plus
/// the autograd bookkeeping of PyTorch's `torch.Tensor`.
///
/// A reference type, as in PyTorch: autograd needs identity (the graph points at the tensors that
/// produced a result, and `grad` accumulates on the parameter object itself). Shape and strides
/// never change after creation; views (``reshaped(_:)``, ``transposed(_:_:)``, ``sliced(axis:range:)``,
/// ``expanded(to:)``) make new `Tensor` objects over the same storage. Ops only ever write into
/// storage they allocated, so sharing is safe; the in-place methods (optimizer steps, gradient
/// accumulation) say so in their names.
///
/// `@unchecked Sendable` so that loaded weights can be shared by tasks that only read them (an
/// inference actor, concurrent evaluation). Mutating a tensor — `grad`, `requiresGrad`, the
/// in-place methods, `backward()` — must stay on one task at a time; the trainer owns that.
public final class Tensor: @unchecked Sendable {
    /// The buffer this view reads.
    public let storage: Storage
    /// Size of each dimension, outermost first.
    public let shape: [Int]
    /// Distance in elements between neighbours along each dimension (0 for a broadcast dimension).
    public let strides: [Int]
    /// Index of element [0, 0, …] in `storage`.
    public let offset: Int

    /// Whether gradients are wanted for this tensor. Parameters set it; results of recorded ops
    /// inherit it. Frozen weights (the base model under LoRA) leave it `false`: no `grad` buffer
    /// is ever allocated for them, yet gradients still flow *through* the ops that use them.
    public var requiresGrad: Bool
    /// Accumulated gradient of a leaf tensor after ``backward()``; same shape, contiguous.
    public var grad: Tensor?
    /// The recorded op that produced this tensor; `nil` for leaves and in no-grad mode.
    var node: Node?

    /// Wraps existing storage. `strides` default to row-major contiguous.
    public init(storage: Storage, shape: [Int], strides: [Int]? = nil, offset: Int = 0, requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        let strides = strides ?? Tensor.contiguousStrides(for: shape)
        precondition(strides.count == shape.count, "strides \(strides) do not match shape \(shape)")
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.requiresGrad = requiresGrad
    }

    /// A new contiguous tensor holding `values` (row-major) with the given shape.
    public convenience init(_ values: [Float], shape: [Int], requiresGrad: Bool = false) {
        precondition(
            values.count == shape.reduce(1, *),
            "\(values.count) values cannot fill shape \(shape) (\(shape.reduce(1, *)) elements)")
        self.init(storage: Storage(values), shape: shape, requiresGrad: requiresGrad)
    }

    /// An uninitialised contiguous tensor: only for kernels that overwrite every element.
    public static func empty(_ shape: [Int]) -> Tensor {
        Tensor(storage: Storage(count: shape.reduce(1, *)), shape: shape)
    }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(storage: Storage(count: shape.reduce(1, *), zeroed: true), shape: shape, requiresGrad: requiresGrad)
    }

    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(storage: Storage(count: shape.reduce(1, *)), shape: shape, requiresGrad: requiresGrad)
        t.data.update(repeating: value, count: t.count)
        return t
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    /// A scalar (rank-0) tensor.
    public static func scalar(_ value: Float) -> Tensor { Tensor([value], shape: []) }

    // MARK: - Geometry

    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// Pointer to element [0, 0, …]. Only meaningful together with `strides`, or when contiguous.
    public var data: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// Row-major strides: the last dimension moves fastest.
    public static func contiguousStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Whether the elements lie row-major and gap-free from `data` (size-1 dimensions may have any stride).
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Resolves a possibly negative axis (`-1` is the last) and checks it.
    public func axis(_ axis: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "axis \(axis) is out of range for shape \(shape)")
        return resolved
    }

    // MARK: - Reading values (tests, small tensors)

    /// All elements in row-major order (copies; resolves views).
    public func toArray() -> [Float] {
        let c = contiguousData()
        return Array(UnsafeBufferPointer(start: c.data, count: count))
    }

    /// The single element of a one-element tensor.
    public func item() -> Float {
        precondition(count == 1, "item() needs a one-element tensor, shape is \(shape)")
        return data[0]
    }

    /// Drops autograd history: a leaf over the same storage that does not require grad.
    public func detached() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = count <= 16 ? toArray().map { "\($0)" }.joined(separator: ", ") : "\(count) elements"
        return "Tensor(shape: \(shape), [\(values)]\(requiresGrad ? ", requiresGrad" : ""))"
    }
}
