import Testing

@testable import Tensor

@Suite("Storage: large buffers are mapped and reused")
struct StorageTests {
    @Test("a reused mapping asked for zeroed comes back zeroed, and every element is writable")
    func zeroedReuse() {
        let count = Storage.mappingThreshold / 4 + 1000
        do {
            let dirty = Storage(count: count)
            for i in 0..<count { dirty.pointer[i] = 7 }
        }
        let clean = Storage(count: count, zeroed: true)
        #expect((0..<count).allSatisfy { clean.pointer[$0] == 0 })
        let small = Storage(count: 10, zeroed: true)
        #expect((0..<10).allSatisfy { small.pointer[$0] == 0 })
    }

    @Test("the cache reuses a freed mapping of the same length and keeps within its capacity")
    func cacheBounds() throws {
        let page = MappedBufferCache.pageRounded(1)
        let cache = MappedBufferCache(capacity: 3 * page)
        let a = try #require(cache.take(page))
        #expect(a.fresh && a.length == page)
        cache.give(a.pointer, length: a.length)
        #expect(cache.cachedBytes == page)
        let again = try #require(cache.take(page - 5))
        #expect(!again.fresh && again.pointer == a.pointer && cache.cachedBytes == 0)

        // Three one-page buffers and one of two pages: the oldest go back to the kernel.
        let buffers = try (0..<3).map { _ in try #require(cache.take(page)) }
        let wide = try #require(cache.take(2 * page))
        for buffer in buffers { cache.give(buffer.pointer, length: buffer.length) }
        cache.give(again.pointer, length: again.length)
        #expect(cache.cachedBytes == 3 * page)
        cache.give(wide.pointer, length: wide.length)
        #expect(cache.cachedBytes == 3 * page)
        let reused = try #require(cache.take(2 * page))
        #expect(!reused.fresh && reused.pointer == wide.pointer)
        // A buffer larger than the whole cache is unmapped at once.
        let huge = try #require(cache.take(4 * page))
        cache.give(huge.pointer, length: huge.length)
        #expect(cache.cachedBytes == page)
        cache.releaseAll()
        #expect(cache.cachedBytes == 0 && cache.take(2 * page)?.fresh == true)
    }
}
