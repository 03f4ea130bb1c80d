import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Threads that stay alive between parallel regions and wait for the next one by spinning briefly
/// on an atomic word before parking — what makes a region cheap enough to start eight times per
/// layer of a decode step. `DispatchQueue.concurrentPerform` parks its threads after every region
/// and pays a wake-up for each (about a tenth of a decode step on two cores); ggml's CPU threadpool
/// spins the same way for the same reason.
///
/// One region at a time: the caller publishes a job of `chunks` chunks in a single atomic word
/// (generation, chunk count, next chunk), workers and caller claim chunks from it with a
/// compare-and-swap, and the caller returns once every claimed chunk is done. A claim names its
/// generation, so a worker that wakes late can never run a chunk of a region that has ended, and
/// the caller takes the chunks nobody has claimed yet itself: a worker the scheduler has not run
/// delays nothing. Which thread runs a chunk never changes what the chunk computes.
final class WorkerPool: @unchecked Sendable {
    let workerCount: Int

    /// generation (32 bits) | chunks (16) | next unclaimed chunk (16).
    private let state = Atomic<UInt64>(0)
    /// Chunks finished by workers in the current region.
    private let finished = Atomic<Int>(0)
    /// Workers parked (or about to park) on `condition`.
    private let sleepers = Atomic<Int>(0)
    /// Whether the caller is blocked (or about to block) on `finishedCondition`.
    private let callerWaiting = Atomic<Int>(0)
    /// The current region's chunk body; written by the caller only while no worker can claim.
    private var job: ((Int) -> Void)?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finishedCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// How long an idle worker spins before parking: longer than the serial gaps between the
    /// regions of a decode step (norms, rotary, sampling), short enough to give the core back
    /// soon when the work has ended.
    static let spinNanoseconds: UInt64 = 50_000
    /// How long the caller spins for the workers' last chunks before blocking.
    static let callerSpinNanoseconds: UInt64 = 30_000

    init(workers: Int) {
        workerCount = workers
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        pthread_cond_init(finishedCondition, nil)
        for _ in 0..<workers {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let status = pthread_create(
                &thread, nil,
                { context in
                    let pool = Unmanaged<WorkerPool>.fromOpaque(context!).takeRetainedValue()
                    pool.work()
                    return nil
                }, context)
            precondition(status == 0, "could not start a worker thread (pthread_create: \(status))")
            pthread_detach(thread)
        }
    }

    /// Calls `body(i)` once for every `i` in `0..<chunks`, on the caller and the workers; returns
    /// when all calls have returned. The caller must not be inside another region of this pool.
    func run(chunks: Int, _ body: (Int) -> Void) {
        precondition(chunks >= 1 && chunks < 1 << 16, "a region of \(chunks) chunks")
        withoutActuallyEscaping(body) { body in
            job = body
            finished.store(0, ordering: .relaxed)
            let generation = ((state.load(ordering: .relaxed) >> 32) &+ 1) & 0xFFFF_FFFF
            // The caller claims chunk 0 as it publishes.
            var word = generation << 32 | UInt64(chunks) << 16 | 1
            state.store(word, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
            }
            body(0)
            var ranHere = 1
            while true {
                word = state.load(ordering: .acquiring)
                let next = word & 0xFFFF
                guard next < UInt64(chunks) else { break }
                if state.compareExchange(expected: word, desired: word + 1, ordering: .acquiring).exchanged {
                    body(Int(next))
                    ranHere += 1
                }
            }
            // Every chunk is claimed; wait for the ones the workers took: spin a little, then block
            // (a yield loop would queue behind every other runnable thread of a loaded machine).
            let target = chunks - ranHere
            let deadline = Self.now() + Self.callerSpinNanoseconds
            var spins = 0
            while finished.load(ordering: .acquiring) < target {
                spins += 1
                guard spins & 63 == 0, Self.now() > deadline else { continue }
                pthread_mutex_lock(mutex)
                // Set before the last look at `finished`, and workers look at it after adding (both
                // sequentially consistent): either the caller sees the count or a worker signals,
                // which waits for this mutex.
                callerWaiting.store(1, ordering: .sequentiallyConsistent)
                while finished.load(ordering: .sequentiallyConsistent) < target {
                    pthread_cond_wait(finishedCondition, mutex)
                }
                callerWaiting.store(0, ordering: .relaxed)
                pthread_mutex_unlock(mutex)
            }
            job = nil
        }
    }

    /// A claimed chunk, kept out of line so that every retain and release of the job happens
    /// before the worker reports the chunk finished.
    @inline(never)
    private func execute(_ index: Int) { job!(index) }

    private func work() {
        RegionMarker.enter()
        var seen = state.load(ordering: .acquiring) >> 32
        while true {
            var word = state.load(ordering: .acquiring)
            if word >> 32 == seen { word = waitForRegion(after: seen) }
            seen = word >> 32
            while word >> 32 == seen, word & 0xFFFF < (word >> 16) & 0xFFFF {
                let (exchanged, original) = state.compareExchange(
                    expected: word, desired: word + 1, ordering: .acquiring)
                if exchanged {
                    execute(Int(word & 0xFFFF))
                    finished.add(1, ordering: .sequentiallyConsistent)
                    if callerWaiting.load(ordering: .sequentiallyConsistent) != 0 {
                        pthread_mutex_lock(mutex)
                        pthread_cond_signal(finishedCondition)
                        pthread_mutex_unlock(mutex)
                    }
                    word = state.load(ordering: .acquiring)
                } else {
                    word = original
                }
            }
        }
    }

    /// Spins until a region newer than `generation` is published, parking after ``spinNanoseconds``.
    private func waitForRegion(after generation: UInt64) -> UInt64 {
        let deadline = Self.now() + Self.spinNanoseconds
        var spins = 0
        while true {
            let word = state.load(ordering: .acquiring)
            if word >> 32 != generation { return word }
            spins += 1
            if spins & 255 == 0, Self.now() > deadline { break }
        }
        pthread_mutex_lock(mutex)
        // Counted before the last look at `state`, and the caller looks at `sleepers` after
        // publishing (both sequentially consistent): either this worker sees the new region or the
        // caller sees a sleeper and broadcasts, which waits for this mutex.
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var word = state.load(ordering: .sequentiallyConsistent)
        while word >> 32 == generation {
            pthread_cond_wait(condition, mutex)
            word = state.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
        return word
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// Idle pools by worker count. A region takes a pool of the size its budget needs and returns it
/// afterwards, so concurrent regions (two models, each under its own budget) get separate workers
/// and a lone caller reuses the same warm threads every time.
enum WorkerPools {
    private static let idle = Mutex<[Int: [WorkerPool]]>([:])

    static func withPool<Result>(workers: Int, _ body: (WorkerPool) -> Result) -> Result {
        let pool = idle.withLock { $0[workers]?.popLast() } ?? WorkerPool(workers: workers)
        defer { idle.withLock { $0[workers, default: []].append(pool) } }
        return body(pool)
    }
}
