import ClarifyCore
import Foundation
import Testing

@testable import Backends

@Suite("Response cache")
struct ResponseCacheTests {
    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("clarifycoder-cache-\(UUID().uuidString)")
    }

    private func counting() -> ScriptedChatModel {
        ScriptedChatModel(identity: "scripted-v1") { request, index in
            .text("answer \(index) to \(request.lastUserMessage!)")
        }
    }

    @Test("a repeated greedy request is answered from disk without calling the model")
    func hit() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = counting()
        let cached = CachedChatModel(base, cache: try ResponseCache(directory: directory))
        let request = ChatRequest(messages: [.user("sort a list")], maxTokens: 64)
        let first = try await cached.complete(request)
        let second = try await cached.complete(request)
        #expect(first == second)
        #expect(base.requests.count == 1)
        #expect(cached.cache.statistics.hits == 1 && cached.cache.statistics.misses == 1)

        // A new process (a new cache value on the same directory) sees the entry too.
        let reopened = CachedChatModel(counting(), cache: try ResponseCache(directory: directory))
        #expect(try await reopened.complete(request) == first)
        #expect(reopened.base.requests.isEmpty)
    }

    @Test("anything that changes the answer changes the key: messages, parameters, model identity")
    func keyCoversEverything() {
        let request = ChatRequest(messages: [.user("x")], temperature: 0, maxTokens: 10, seed: 1)
        let key = ResponseCache.key(model: "m", request: request)
        var variants: [ChatRequest] = []
        for change in 0..<7 {
            var other = request
            switch change {
            case 0: other.messages = [.user("y")]
            case 1: other.messages = [.system("x")]
            case 2: other.temperature = 0.5
            case 3: other.maxTokens = 11
            case 4: other.seed = 2
            case 5: other.stop = ["\n"]
            default: other.n = 2
            }
            variants.append(other)
        }
        let keys = Set(variants.map { ResponseCache.key(model: "m", request: $0) } + [key])
        #expect(keys.count == 8)
        #expect(ResponseCache.key(model: "m2", request: request) != key)
        #expect(ResponseCache.key(model: "m", request: request) == key)
        // The key is part of the on-disk format: it must not drift between builds.
        #expect(
            key == ResponseCache.key(model: "m", request: ChatRequest(messages: [.user("x")], maxTokens: 10, seed: 1)))
        #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
    }

    @Test("entries are sharded by the key's first two hex digits under the cache directory")
    func layout() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try ResponseCache(directory: directory)
        let request = ChatRequest(messages: [.user("x")])
        try cache.store(
            ChatResponse(choices: [ChatChoice(index: 0, content: "y")], model: "m"), model: "m", request: request)
        let key = ResponseCache.key(model: "m", request: request)
        let file = directory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent(key + ".json")
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(
            ResponseCache.defaultDirectory(environment: ["CLARIFYCODER_HOME": "/data/cc"]).path
                == "/data/cc/cache/responses")
    }

    @Test("sampled requests bypass the cache unless the policy says all")
    func samplingPolicy() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try ResponseCache(directory: directory)
        let sampled = ChatRequest(messages: [.user("x")], temperature: 0.8)
        let base = counting()
        let cached = CachedChatModel(base, cache: cache)
        let a = try await cached.complete(sampled)
        let b = try await cached.complete(sampled)
        #expect(a != b)
        #expect(cache.statistics.hits + cache.statistics.misses == 0)

        var seeded = sampled
        seeded.seed = 3
        _ = try await cached.complete(seeded)
        _ = try await cached.complete(seeded)
        #expect(base.requests.count == 3)

        let replay = CachedChatModel(base, cache: cache, policy: .all)
        let replayed = try await replay.complete(sampled)
        #expect(try await replay.complete(sampled) == replayed)
        #expect(base.requests.count == 4)
    }

    @Test("failures are not cached")
    func failuresNotCached() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = ScriptedChatModel(replies: [.failure(BackendError(.serverError, "down")), .text("up")])
        let cached = CachedChatModel(base, cache: try ResponseCache(directory: directory))
        let request = ChatRequest(messages: [.user("x")])
        await #expect(throws: BackendError.self) { try await cached.complete(request) }
        let answer1 = try await cached.complete(request).text
        #expect(answer1 == "up")
        let answer2 = try await cached.complete(request).text
        #expect(answer2 == "up")
        #expect(base.requests.count == 2)
    }

    @Test("a corrupt or foreign entry is a miss and is replaced")
    func corruptEntry() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try ResponseCache(directory: directory)
        let base = counting()
        let cached = CachedChatModel(base, cache: cache)
        let request = ChatRequest(messages: [.user("x")])
        let file = cache.fileURL(forKey: ResponseCache.key(model: base.identity, request: request))
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{\"format\":1,\"model\":\"scripted-v1\",\"requ".utf8).write(to: file)
        let first = try await cached.complete(request)
        #expect(cache.statistics.unreadable == 1)
        #expect(try await cached.complete(request) == first)
        #expect(base.requests.count == 1)
    }

    @Test("many concurrent writers and readers of the same keys leave complete entries")
    func concurrentWriters() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try ResponseCache(directory: directory)
        let requests = (0..<8).map { ChatRequest(messages: [.user("key \($0)")]) }
        await withTaskGroup(of: Void.self) { group in
            for round in 0..<200 {
                group.addTask {
                    let request = requests[round % requests.count]
                    let response = ChatResponse(
                        choices: [
                            ChatChoice(index: 0, content: String(repeating: request.lastUserMessage!, count: 500))
                        ],
                        model: "m")
                    if (round / requests.count) % 2 == 0 {
                        try? cache.store(response, model: "m", request: request)
                    } else if let hit = cache.lookup(model: "m", request: request) {
                        #expect(hit == response)
                    }
                }
            }
        }
        #expect(cache.statistics.unreadable == 0)
        #expect(cache.statistics.failedStores == 0)
        for request in requests { #expect(cache.lookup(model: "m", request: request) != nil) }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty)
    }
}
