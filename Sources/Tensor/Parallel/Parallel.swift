import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Splits loops across cores with `DispatchQueue.concurrentPerform`.
///
/// DESIGN.md measured `concurrentPerform` ahead of task groups for kernels. Work is cut into at
/// most ``threadCount`` contiguous chunks (never smaller than a caller-given grain, so tiny
/// tensors stay on the calling thread and pay no dispatch cost).
public enum Parallel {
    private static let configuredThreads = Atomic<Int>(0)

    /// Cores the machine reports.
    public static var coreCount: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Threads that kernels (and multi-threaded BLAS calls) use. Defaults to all cores; setting it
    /// also sets OpenBLAS's own thread count.
    public static var threadCount: Int {
        get {
            let configured = configuredThreads.load(ordering: .relaxed)
            return configured > 0 ? configured : coreCount
        }
        set {
            let value = Swift.max(1, newValue)
            configuredThreads.store(value, ordering: .relaxed)
            BLAS.setThreads(value)
        }
    }

    /// Raw pointers are not `Sendable`; kernels pass them to workers through this wrapper. The
    /// workers write disjoint ranges, which is what makes it sound.
    public struct Pointer: @unchecked Sendable {
        public let base: UnsafeMutablePointer<Float>
        public init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
        @inline(__always) public subscript(index: Int) -> Float {
            get { base[index] }
            nonmutating set { base[index] = newValue }
        }
        @inline(__always) public static func + (pointer: Pointer, offset: Int) -> UnsafeMutablePointer<Float> {
            pointer.base + offset
        }
    }

    /// Calls `body` on disjoint subranges covering `0..<count`, in parallel when `count` holds at
    /// least two grains. `grain` is the smallest range worth a thread (in iterations).
    @inline(__always)
    public static func forRanges(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = Swift.min(threadCount, Swift.max(1, count / Swift.max(1, grain)))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        // The workers touch disjoint ranges and all finish before concurrentPerform returns, so
        // the closure never outlives this call: what the unchecked wrapper asserts.
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                work.value(start..<end)
            }
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the threads. For coarse items
    /// (one attention head, one matrix of a batch) where each item is worth a thread on its own.
    /// BLAS runs single-threaded inside, since the items already occupy every core.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if count == 1 || threadCount == 1 {
            for index in 0..<count { body(index) }
            return
        }
        BLAS.singleThreaded {
            forRanges(count) { range in
                for index in range { body(index) }
            }
        }
    }
}

/// Carries a value that is not `Sendable` into `concurrentPerform` workers; see ``Parallel/forRanges(_:grain:_:)``.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
