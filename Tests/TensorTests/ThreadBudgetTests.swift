import Foundation
import Synchronization
import Testing

@testable import Tensor

@Suite("Thread budgets")
struct ThreadBudgetTests {
    /// The distinct threads that ran the chunks of one region of `chunks` chunks, and how often
    /// each chunk ran.
    private func region(chunks: Int) -> (threads: Int, runs: [Int]) {
        let runs = Mutex([Int](repeating: 0, count: chunks))
        let threads = Mutex(Set<UInt>())
        Parallel.region(chunks) { chunk in
            runs.withLock { $0[chunk] += 1 }
            threads.withLock { _ = $0.insert(UInt(bitPattern: Int(bitPattern: pthread_self()))) }
            // Long enough that a worker gets a chunk before the caller has taken them all.
            usleep(2_000)
        }
        return (threads.withLock { $0.count }, runs.withLock { $0 })
    }

    @Test("work runs under the budget it was given, and kernels inside a region see one thread")
    func scopedBudget() {
        ThreadBudget(threads: 3).run {
            #expect(Parallel.threadCount == 3)
            ThreadBudget.single.run { #expect(Parallel.threadCount == 1) }
            #expect(Parallel.threadCount == 3)
            let inner = Mutex([Int]())
            Parallel.region(3) { _ in inner.withLock { $0.append(Parallel.threadCount) } }
            #expect(inner.withLock { $0 } == [1, 1, 1])
        }
        #expect(Parallel.threadCount == Parallel.coreCount)
    }

    @Test("a region never uses more threads than its budget, and runs every chunk once")
    func regionRespectsBudget() {
        let two = ThreadBudget(threads: 2).run { region(chunks: 8) }
        #expect(two.threads <= 2)
        #expect(two.runs == Array(repeating: 1, count: 8))
        let one = ThreadBudget.single.run { region(chunks: 5) }
        #expect(one.threads == 1)
        #expect(one.runs == Array(repeating: 1, count: 5))
    }

    @Test("two models on two threads at once each keep their own budget")
    func concurrentBudgets() {
        let seen = Mutex([Int: [Int]]())
        let done = DispatchGroup()
        for budget in [1, 3] {
            done.enter()
            let thread = Thread {
                ThreadBudget(threads: budget).run {
                    for _ in 0..<20 {
                        let result = region(chunks: 6)
                        #expect(result.runs == Array(repeating: 1, count: 6))
                        seen.withLock { $0[budget, default: []].append(result.threads) }
                    }
                }
                done.leave()
            }
            thread.start()
        }
        done.wait()
        let counts = seen.withLock { $0 }
        #expect(counts[1]?.allSatisfy { $0 == 1 } == true, "budget 1 used \(counts[1] ?? [])")
        #expect(counts[3]?.allSatisfy { $0 <= 3 } == true, "budget 3 used \(counts[3] ?? [])")
        #expect(counts[3]?.contains { $0 > 1 } == true, "budget 3 never ran in parallel: \(counts[3] ?? [])")
    }

    @Test("a budget follows async work into child tasks")
    func asyncBudget() async {
        let inner = await ThreadBudget(threads: 2).run {
            await withTaskGroup(of: Int.self) { group in
                group.addTask { Parallel.threadCount }
                return await group.next()!
            }
        }
        #expect(inner == 2)
    }

    @Test("back-to-back regions run every index exactly once")
    func manyRegions() {
        ThreadBudget(threads: 4).run {
            let total = Atomic<Int>(0)
            for round in 0..<2_000 {
                let count = 1 + round % 37
                let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
                hits.initialize(repeating: 0, count: count)
                let pointer = UncheckedPointer(hits)
                Parallel.forEach(count) { index in
                    pointer.value[index] += 1
                    total.add(1, ordering: .relaxed)
                }
                #expect((0..<count).allSatisfy { hits[$0] == 1 }, "round \(round)")
                hits.deallocate()
            }
            #expect(total.load(ordering: .relaxed) == (0..<2_000).map { 1 + $0 % 37 }.reduce(0, +))
        }
    }

    @Test("a product split over threads equals the one-thread product bit for bit")
    func splitProducts() {
        var generator = SeededGenerator(seed: 5)
        // (m, n, k): wide (split by columns), tall (kept whole), and the two matrix–vector shapes.
        for (m, n, k) in [(48, 700, 96), (530, 40, 80), (1, 900, 400), (900, 1, 400)] {
            for (transA, transB) in [(false, false), (true, true), (false, true)] {
                let a = Tensor.randomNormal([m * k], generator: &generator).toArray()
                let b = Tensor.randomNormal([k * n], generator: &generator).toArray()
                func product(threads: Int) -> [Float] {
                    var c = [Float](repeating: 0, count: m * n)
                    ThreadBudget(threads: threads).run {
                        BLAS.gemm(
                            transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: transA ? m : k, b: b,
                            ldb: transB ? k : n, c: &c, ldc: n)
                    }
                    return c
                }
                let single = product(threads: 1)
                #expect(product(threads: 3) == single, "m \(m) n \(n) k \(k) transA \(transA) transB \(transB)")
            }
        }
    }
}

private struct UncheckedPointer: @unchecked Sendable {
    let value: UnsafeMutablePointer<Int>
    init(_ value: UnsafeMutablePointer<Int>) { self.value = value }
}
