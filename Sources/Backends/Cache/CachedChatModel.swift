/// Which requests a ``CachedChatModel`` answers from its cache.
public enum CachePolicy: String, Sendable, Hashable, CaseIterable {
    /// Only greedy (`temperature == 0`) or seeded requests — the default, because a cached
    /// sampled answer would turn n independent samples into one repeated answer.
    case deterministicOnly
    /// Every request, sampled ones included (for replaying a run exactly).
    case all
    /// None: the cache is bypassed both ways.
    case disabled

    public func applies(to request: ChatRequest) -> Bool {
        switch self {
        case .deterministicOnly: return request.isDeterministic
        case .all: return true
        case .disabled: return false
        }
    }
}

/// A ``ChatModel`` that answers from a ``ResponseCache`` when it can and asks `base` otherwise,
/// storing what `base` answers. Failures are never cached. A failed cache write does not fail
/// the request — the answer is returned and the failure counted in
/// ``ResponseCache/Statistics/failedStores``.
public struct CachedChatModel<Base: ChatModel>: ChatModel {
    public let base: Base
    public let cache: ResponseCache
    public let policy: CachePolicy

    public init(_ base: Base, cache: ResponseCache, policy: CachePolicy = .deterministicOnly) {
        self.base = base
        self.cache = cache
        self.policy = policy
    }

    public var identity: String { base.identity }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard policy.applies(to: request) else { return try await base.complete(request) }
        if let cached = cache.lookup(model: base.identity, request: request) { return cached }
        let response = try await base.complete(request)
        try? cache.store(response, model: base.identity, request: request)
        return response
    }
}
