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
public final class Storage: @unchecked Sendable {
    /// First element. Valid for `count` floats.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of floats.
    public let count: Int

    /// Allocates `count` floats (at least one, so that an empty tensor still owns a valid pointer).
    public init(count: Int, zeroed: Bool = false) {
        precondition(count >= 0, "Storage count must be non-negative, got \(count)")
        var raw: UnsafeMutableRawPointer?
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        let status = posix_memalign(&raw, 64, bytes)
        guard status == 0, let raw else {
            fatalError("Storage: could not allocate \(bytes) bytes (posix_memalign returned \(status))")
        }
        self.pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
        self.count = count
        if zeroed { memset(raw, 0, bytes) }
    }

    /// Copies `values` into fresh storage.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { free(pointer) }
}
