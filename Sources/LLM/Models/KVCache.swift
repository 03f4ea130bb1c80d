/// Keys and values of past positions, per layer and per sequence, for decoding without
/// recomputing the prompt (the `past_key_values` of `transformers`, a `DynamicCache` laid out
/// up front).
///
/// Layout per layer: (sequences, capacity, kvHeads·headDim), row-major, so the keys of one
/// sequence and kv head form an (S × headDim) matrix with leading dimension kvHeads·headDim —
/// what the attention's matrix–vector products read in place. Keys are stored after RoPE.
/// Each sequence slot has its own length, so prompts of different lengths decode together.
public final class KVCache: @unchecked Sendable {
    public let sequenceCount: Int
    /// Positions each sequence can hold.
    public let capacity: Int
    let layerCount: Int
    /// kvHeads · headDim
    let rowWidth: Int
    let keys: [UnsafeMutablePointer<Float>]
    let values: [UnsafeMutablePointer<Float>]
    /// Positions filled, per sequence.
    public internal(set) var lengths: [Int]

    public init(config: TransformerConfig, sequences: Int, capacity: Int) {
        precondition(sequences > 0 && capacity > 0, "a KV cache needs at least one sequence and one position")
        sequenceCount = sequences
        self.capacity = capacity
        layerCount = config.layerCount
        rowWidth = config.kvHeadCount * config.headDim
        let size = sequences * capacity * rowWidth
        keys = (0..<layerCount).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: size) }
        values = (0..<layerCount).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: size) }
        lengths = Array(repeating: 0, count: sequences)
    }

    deinit {
        for pointer in keys { pointer.deallocate() }
        for pointer in values { pointer.deallocate() }
    }

    /// Bytes held by the cache.
    public var byteCount: Int { 2 * layerCount * sequenceCount * capacity * rowWidth * 4 }

    /// Forgets sequence `slot` (its buffers are reused).
    public func reset(sequence slot: Int) { lengths[slot] = 0 }

    /// Forgets every sequence.
    public func resetAll() { lengths = Array(repeating: 0, count: sequenceCount) }

    /// Drops the positions of `slot` from `length` on (to rewind after a speculative step).
    public func truncate(sequence slot: Int, to length: Int) {
        precondition(length >= 0 && length <= lengths[slot], "cannot truncate to \(length) of \(lengths[slot])")
        lengths[slot] = length
    }

    /// The first key row of `slot` in `layer`.
    @inline(__always)
    func keyBase(layer: Int, slot: Int) -> UnsafeMutablePointer<Float> { keys[layer] + slot * capacity * rowWidth }

    @inline(__always)
    func valueBase(layer: Int, slot: Int) -> UnsafeMutablePointer<Float> {
        values[layer] + slot * capacity * rowWidth
    }
}
