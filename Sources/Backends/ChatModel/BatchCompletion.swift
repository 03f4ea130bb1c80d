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
        var progress = BatchProgress(finished: 0, failed: 0, total: requests.count)

        await withTaskGroup(of: (Int, Result<ChatResponse, BackendError>).self) { group in
            var next = 0
            func startNext() {
                let index = next
                let request = requests[index]
                next += 1
                group.addTask {
                    do {
                        return (index, .success(try await self.complete(request)))
                    } catch {
                        return (index, .failure(.wrapping(error)))
                    }
                }
            }
            while next < min(limit, requests.count) { startNext() }
            while let (index, result) = await group.next() {
                // An index arrives once because each is added once; a second arrival would be a
                // bug in the group, not in the backend, so it is a precondition.
                precondition(results[index] == nil, "batch item \(index) finished twice")
                results[index] = result
                progress.finished += 1
                if case .failure = result { progress.failed += 1 }
                onProgress?(progress)
                if next < requests.count && !Task.isCancelled { startNext() }
            }
        }

        return results.enumerated().map { index, result in
            result ?? .failure(BackendError(.cancelled, "batch cancelled before request \(index) was sent; rerun it"))
        }
    }
}
