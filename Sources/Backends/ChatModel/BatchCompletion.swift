/// Where a batch stands, reported after every finished item.
public struct BatchProgress: Sendable, Hashable {
    /// Items finished so far, successes and failures.
    public var finished: Int
    /// Of those, how many failed.
    public var failed: Int
    public var total: Int

    public init(finished: Int, failed: Int, total: Int) {
        self.finished = finished
        self.failed = failed
        self.total = total
    }
}

extension ChatModel {
    /// Answers many requests with at most `maxConcurrent` in flight, returning one result per
    /// request, in input order, whatever the order of completion.
    ///
    /// Every request is accounted for exactly once: it either succeeds or its failure is
    /// recorded as a ``BackendError`` (a non-`BackendError` is wrapped). When the calling task is
    /// cancelled, requests not yet started are recorded as ``BackendError/Kind-swift.struct/cancelled``
    /// and requests in flight end as their backend reports cancellation — none is dropped.
    ///
    /// - Parameters:
    ///   - maxConcurrent: requests in flight at once (at least 1). The backend may impose its own
    ///     lower limit.
    ///   - onProgress: called after each item finishes, from the calling task.
    public func completeBatch(
        _ requests: [ChatRequest],
        maxConcurrent: Int,
        onProgress: (@Sendable (BatchProgress) -> Void)? = nil
    ) async -> [Result<ChatResponse, BackendError>] {
        let limit = max(1, maxConcurrent)
        var results = [Result<ChatResponse, BackendError>?](repeating: nil, count: requests.count)
        var arrived = [Bool](repeating: false, count: requests.count)
        var progress = BatchProgress(finished: 0, failed: 0, total: requests.count)

        await withTaskGroup(of: BatchItem.self) { group in
            var next = 0
            var running = 0
            while true {
                while next < requests.count && running < limit && !Task.isCancelled {
                    addItem(next, requests[next], to: &group)
                    next += 1
                    running += 1
                }
                guard let finished = await group.next() else { break }
                let index = finished.index
                let result = finished.result
                running -= 1
                // Each index is added once, so it arrives once; a second arrival would be a bug
                // here, not in the backend, so it is a precondition.
                precondition(!arrived[index], "batch item \(index) finished twice")
                arrived[index] = true
                results[index] = result
                progress.finished += 1
                if case .failure = result { progress.failed += 1 }
                onProgress?(progress)
            }
        }

        return results.enumerated().map { index, result in
            result ?? .failure(BackendError(.cancelled, "batch cancelled before request \(index) was sent; rerun it"))
        }
    }

    /// Starts one item. A separate function so the child task captures plain parameters,
    /// never the loop's mutable counter.
    private func addItem(
        _ index: Int, _ request: ChatRequest,
        to group: inout TaskGroup<BatchItem>
    ) {
        group.addTask {
            do {
                return BatchItem(index: index, result: .success(try await self.complete(request)))
            } catch {
                return BatchItem(index: index, result: .failure(.wrapping(error)))
            }
        }
    }
}

/// One finished batch item, as a child task returns it. A named struct, not a tuple: with
/// Swift 6.3.1 `-O`, a task group whose child result was `(Int, Result<ChatResponse,
/// BackendError>)` returned wrong indices (the release benchmark tripped the precondition in
/// `completeBatch`); debug builds were correct.
struct BatchItem: Sendable {
    var index: Int
    var result: Result<ChatResponse, BackendError>
}
