import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fp32 buffer behind one or more ``Tensor`` views.
///
/// 64-byte aligned (one cache line, two AVX2 registers) so that BLAS and SIMD loops start on a
/// line boundary, as PyTorch's CPU allocator does. A class so that views share it and it is freed
/// deterministically when the last view goes away — nothing waits for a garbage collector.
/// Contents are uninitialised unless `zeroed` is asked for: most kernels overwrite every element.
///
/// Buffers of ``mappingThreshold`` bytes or more are mapped from the kernel, never taken from
/// malloc's heap. glibc raises its mmap threshold to the size of every mapped block it frees (up to
/// 32 MiB), so once a few activations of a training step have come and gone, later ones land in
/// the heap, where the holes between live tensors are too fragmented to reuse or give back. LoRA at
/// 4 × 1,024 tokens peaked at 3.1 GB that way on Qwen2.5-Coder-0.5B and 6.4 GB on the 1.5B; with
/// large buffers mapped, 1.8 and 3.5 GB. Freed mappings wait in a cache (``MappedBufferCache``,
/// up to 1 GiB) for the next buffer of the same length: a training step makes the same shapes layer
/// after layer, and a fresh mapping costs the kernel a zeroed page per 4 KiB touched (mapping
/// every buffer afresh, the 1.5B's step spent 11% of its time in the kernel; with a 768 MiB cache
/// 6%, with 4 GiB 1.5%).
public final class Storage: @unchecked Sendable {
    /// First element. Valid for `count` floats.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of floats.
    public let count: Int
    /// Bytes mapped with mmap(2), or 0 when the buffer came from malloc.
    private let mappedBytes: Int

    /// Buffers from this many bytes up are mapped rather than allocated from malloc's heap.
    public static let mappingThreshold = 1 << 20

    /// Allocates `count` floats (at least one, so that an empty tensor still owns a valid pointer).
    public init(count: Int, zeroed: Bool = false) {
        precondition(count >= 0, "Storage count must be non-negative, got \(count)")
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        self.count = count
        if bytes >= Storage.mappingThreshold, let mapped = MappedBufferCache.shared.take(bytes) {
            self.pointer = mapped.pointer.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
            self.mappedBytes = mapped.length
            if zeroed && !mapped.fresh { memset(mapped.pointer, 0, bytes) }
            return
        }
        var raw: UnsafeMutableRawPointer?
        let status = posix_memalign(&raw, 64, bytes)
        guard status == 0, let raw else {
            fatalError("Storage: could not allocate \(bytes) bytes (posix_memalign returned \(status))")
        }
        self.pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
        self.mappedBytes = 0
        if zeroed { memset(raw, 0, bytes) }
    }

    /// Gives every kept freed mapping back to the kernel (for example when training ends and
    /// something else runs in the process); buffers in use are not touched.
    public static func releaseCachedBuffers() { MappedBufferCache.shared.releaseAll() }

    /// Copies `values` into fresh storage.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        if mappedBytes > 0 {
            MappedBufferCache.shared.give(UnsafeMutableRawPointer(pointer), length: mappedBytes)
        } else {
            free(pointer)
        }
    }
}

/// Freed ``Storage`` mappings kept for reuse, by exact length, up to ``capacity`` bytes in all;
/// the least recently freed go back to the kernel first.
final class MappedBufferCache: Sendable {
    static let shared = MappedBufferCache(capacity: 1 << 30)

    /// Most bytes kept mapped while no tensor uses them (they count in the resident set).
    let capacity: Int
    private struct State {
        /// Addresses by length (addresses, not pointers, so the state is Sendable).
        var free: [Int: [UInt]] = [:]
        /// Lengths in the order they were freed, oldest first, for eviction.
        var order: [Int] = []
        var bytes = 0
    }
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = capacity }

    /// A buffer of at least `bytes`: a cached one of the same page-rounded length, or a new
    /// mapping (`fresh`, so zero-filled); nil when the kernel refuses (the caller then falls
    /// back to malloc, which reports a real failure).
    func take(_ bytes: Int) -> (pointer: UnsafeMutableRawPointer, length: Int, fresh: Bool)? {
        let length = Self.pageRounded(bytes)
        let cached: UInt? = state.withLock { state in
            guard let address = state.free[length]?.popLast() else { return nil }
            if state.free[length]?.isEmpty == true { state.free[length] = nil }
            if let at = state.order.lastIndex(of: length) { state.order.remove(at: at) }
            state.bytes -= length
            return address
        }
        if let cached, let pointer = UnsafeMutableRawPointer(bitPattern: cached) { return (pointer, length, false) }
        guard let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            raw != MAP_FAILED
        else { return nil }
        return (raw, length, true)
    }

    /// Keeps a mapping of `length` bytes for reuse, unmapping the oldest kept ones (or this one,
    /// when it alone exceeds the capacity) to stay within ``capacity``.
    func give(_ pointer: UnsafeMutableRawPointer, length: Int) {
        let address = UInt(bitPattern: pointer)
        let release: [(UInt, Int)] = state.withLock { state in
            guard length <= capacity else { return [(address, length)] }
            var release: [(UInt, Int)] = []
            state.free[length, default: []].append(address)
            state.order.append(length)
            state.bytes += length
            while state.bytes > capacity, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                guard let victim = state.free[oldest]?.removeFirst() else { continue }
                if state.free[oldest]?.isEmpty == true { state.free[oldest] = nil }
                state.bytes -= oldest
                release.append((victim, oldest))
            }
            return release
        }
        for (address, length) in release { munmap(UnsafeMutableRawPointer(bitPattern: address), length) }
    }

    /// Unmaps every kept buffer.
    func releaseAll() {
        let release: [(UInt, Int)] = state.withLock { state in
            let all = state.free.flatMap { length, addresses in addresses.map { ($0, length) } }
            state = State()
            return all
        }
        for (address, length) in release { munmap(UnsafeMutableRawPointer(bitPattern: address), length) }
    }

    /// Bytes currently kept.
    var cachedBytes: Int { state.withLock { $0.bytes } }

    static func pageRounded(_ bytes: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return (bytes + page - 1) / page * page
    }
}
