/// Byte-level BPE merges over token ids.
///
/// A word's bytes start as single-byte tokens; merges are applied lowest rank first, and among
/// equal ranks the leftmost pair first — the order of Hugging Face `tokenizers`' `Word::merge_all`
/// (a binary heap of `Merge { rank, pos }` whose `Ord` prefers the lower rank, then the lower
/// position; a popped merge is skipped when its left symbol was merged away or the pair changed).
struct BytePairEncoding: Sendable {
    /// Token id of each single byte, or -1 when the vocabulary lacks it (the byte is then dropped,
    /// as `tokenizers` does without an `unk_token`).
    let byteTokens: [Int32]
    /// (left id << 32 | right id) → (rank, merged id).
    let merges: [UInt64: (rank: Int32, id: Int32)]
    /// Llama-3's `ignore_merges`: a word that is itself in the vocabulary is emitted whole.
    let wholeWords: [[UInt8]: Int32]?

    @inline(__always) static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Appends the ids of one pre-tokenized word to `out`.
    func encode(_ word: UnsafeBufferPointer<UInt8>, into out: inout [Int]) {
        let n = word.count
        if n == 0 { return }
        if let wholeWords, let id = wholeWords[Array(word)] {
            out.append(Int(id))
            return
        }
        if n == 1 {
            let id = byteTokens[Int(word[0])]
            if id >= 0 { out.append(Int(id)) }
            return
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * n) { buffer in
            let ids = buffer.baseAddress!
            let prev = ids + n
            let next = ids + 2 * n
            for i in 0..<n {
                ids[i] = byteTokens[Int(word[i])]
                prev[i] = Int32(i - 1)
                next[i] = i + 1 < n ? Int32(i + 1) : -1
            }
            var heap = MergeHeap()
            for i in 0..<(n - 1) {
                if let m = merges[Self.key(ids[i], ids[i + 1])] { heap.push(rank: m.rank, position: Int32(i)) }
            }
            while let (rank, position) = heap.pop() {
                let p = Int(position)
                let right = Int(next[p])
                // Skip stale entries: the left symbol was merged away (marked by ids = -2) or the pair changed.
                guard ids[p] != -2, right >= 0, let m = merges[Self.key(ids[p], ids[right])], m.rank == rank else {
                    continue
                }
                ids[p] = m.id
                ids[right] = -2
                let after = next[right]
                next[p] = after
                if after >= 0 { prev[Int(after)] = Int32(p) }
                let before = prev[p]
                if before >= 0, let left = merges[Self.key(ids[Int(before)], ids[p])] {
                    heap.push(rank: left.rank, position: before)
                }
                if after >= 0, let right = merges[Self.key(ids[p], ids[Int(after)])] {
                    heap.push(rank: right.rank, position: Int32(p))
                }
            }
            var i: Int32 = 0
            while i >= 0 {
                if ids[Int(i)] >= 0 { out.append(Int(ids[Int(i)])) }
                i = next[Int(i)]
            }
        }
    }
}

/// A binary min-heap of (rank, position) packed into one UInt64, so comparison is one integer compare.
struct MergeHeap {
    private var items: [UInt64] = []

    init() { items.reserveCapacity(32) }

    mutating func push(rank: Int32, position: Int32) {
        items.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: position)))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> (Int32, Int32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= items.count { break }
                var smallest = left
                if left + 1 < items.count && items[left + 1] < items[left] { smallest = left + 1 }
                if items[parent] <= items[smallest] { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (Int32(bitPattern: UInt32(top >> 32)), Int32(bitPattern: UInt32(top & 0xFFFF_FFFF)))
    }
}
