import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Splits loops across the threads of the current ``ThreadBudget``.
///
/// Work is cut into at most `ThreadBudget.current.threads` contiguous chunks (never smaller than a
/// caller-given grain, so tiny tensors stay on the calling thread and pay no dispatch cost) and run
/// on a ``WorkerPool`` whose threads spin between regions; the caller runs chunks too. Inside a
/// region the budget is one thread, so nested loops run serially.
public enum Parallel {
    /// Cores the machine reports (read once: `sysconf` reads a file, and budgets ask often).
    public static let coreCount = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Threads the calling code may use: `ThreadBudget.current.threads`. Set a budget with
    /// ``ThreadBudget/run(_:)-swift.method``; there is no process-wide setting.
    public static var threadCount: Int { ThreadBudget.current.threads }

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
        region(chunks) { chunk in body(count * chunk / chunks..<count * (chunk + 1) / chunks) }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the threads. For coarse items
    /// (one attention head, one matrix of a batch) where each item is worth a thread on its own.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forRanges(count) { range in
            for index in range { body(index) }
        }
    }

    /// Runs `body(chunk)` for `chunk` in `0..<chunks` as one parallel region on the calling thread
    /// and `threadCount - 1` pooled workers, all marked as inside a region (their own budget is one
    /// thread). Chunks go to whichever thread is free first, so more chunks than threads balance
    /// uneven work; with one thread (or inside a region) they run in order on the caller.
    public static func region(_ chunks: Int, _ body: (Int) -> Void) {
        // A region's chunk index lives in 16 bits of the pool's state word; group larger counts.
        if chunks >= 1 << 15 {
            let groups = 1 << 12
            return region(groups) { group in
                for chunk in chunks * group / groups..<chunks * (group + 1) / groups { body(chunk) }
            }
        }
        let threads = threadCount
        guard threads > 1, chunks > 1 else {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        RegionMarker.enter()
        defer { RegionMarker.leave() }
        WorkerPools.withPool(workers: threads - 1) { pool in pool.run(chunks: chunks, body) }
    }
}
