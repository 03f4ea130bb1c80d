#if canImport(Glibc)
import Glibc
#endif

/// How many threads the kernels of one piece of work may use: a value handed down, not a global.
///
/// A model, trainer or evaluator takes a budget with its parameters and runs its work inside
/// ``run(_:)-swift.method``; every kernel below (``Parallel``, ``BLAS``) reads ``current``. Two models in
/// one process — the tuned model and its judge, a server with two adapters — each run under their
/// own budget, on their own workers, at the same time. The binding is a task-local value, so it
/// follows `async` code into child tasks; a dedicated thread (a batch scheduler's worker) binds the
/// budget its owner was given. Code outside any binding gets ``machine``.
///
/// Inside a parallel region every thread — the workers and the caller alike — sees one thread, so
/// a kernel called from a kernel runs serially instead of oversubscribing the cores. OpenBLAS is
/// pinned to one thread for the same reason: ``BLAS`` splits large products over the budget itself.
public struct ThreadBudget: Sendable, Hashable, CustomStringConvertible {
    /// Threads the work may keep busy at once (the calling thread included); at least 1.
    public let threads: Int

    public init(threads: Int) { self.threads = Swift.max(1, threads) }

    /// One thread: the calling one.
    public static let single = ThreadBudget(threads: 1)

    /// Every core the machine reports.
    public static let machine = ThreadBudget(threads: Parallel.coreCount)

    /// `threads` when given, else ``machine``: what a `--threads` option or a `threads:` parameter means.
    public static func threads(_ threads: Int?) -> ThreadBudget { threads.map(ThreadBudget.init) ?? .machine }

    public var description: String { threads == 1 ? "1 thread" : "\(threads) threads" }

    @TaskLocal static var bound: ThreadBudget?

    /// The budget of the calling code: one thread inside a parallel region, else the innermost
    /// ``run(_:)-swift.method`` binding of this task (or thread), else ``machine``.
    public static var current: ThreadBudget {
        if RegionMarker.isInside { return .single }
        return bound ?? .machine
    }

    /// Runs `body` with this budget as ``current`` (for synchronous work, or a thread's whole life).
    public func run<Result>(_ body: () throws -> Result) rethrows -> Result {
        try Self.$bound.withValue(self, operation: body)
    }

    /// Runs `body` with this budget as ``current``, child tasks included.
    public func run<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        try await Self.$bound.withValue(self, operation: body)
    }
}

/// Marks the threads that are executing a parallel region (a pool's workers for life, the caller
/// for the length of its region), so nested kernels run serially. A pthread key rather than a
/// task-local value: it is read on every kernel call and set on every region, where binding a
/// task-local value would allocate.
enum RegionMarker {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no pthread key for the parallel-region marker")
        return key
    }()

    static var isInside: Bool { pthread_getspecific(key) != nil }

    /// Marks the calling thread as inside a region.
    static func enter() { pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1)) }

    static func leave() { pthread_setspecific(key, nil) }
}
