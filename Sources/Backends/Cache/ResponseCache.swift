import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Chat responses stored on disk, keyed by a hash of everything that determines the answer:
/// the model's ``ChatModel/identity``, the messages and the sampling parameters.
///
/// Layout: `<directory>/<first two hex digits>/<64-hex key>.json`, one JSON entry per file, so
/// thousands of entries never crowd one directory and entries are written without a lock:
/// each write goes to a uniquely named temporary file in the shard and is `rename(2)`d into
/// place, which is atomic on POSIX file systems — concurrent writers of the same key (two
/// tasks or two processes) leave one complete entry, and a reader never sees half a file.
/// An entry repeats its model and request, and is used only if they match, so neither a hash
/// collision nor a hand-edited file can return another request's answer. An unreadable entry
/// counts as a miss (and in ``Statistics/unreadable``) and is overwritten on the next store.
public final class ResponseCache: Sendable {
    /// Counts since this value was made; hits + misses = lookups.
    public struct Statistics: Sendable, Hashable {
        public var hits = 0
        public var misses = 0
        public var stores = 0
        /// Entries that existed but could not be decoded or belonged to another request.
        public var unreadable = 0
        /// Stores that failed (disk full, permissions); the answer was still returned.
        public var failedStores = 0
    }

    public let directory: URL
    private let counters = Mutex(Statistics())

    /// Bumped when the entry format or key material changes, so old entries are not misread.
    static let formatVersion = 1

    private struct Entry: Codable {
        var format: Int
        var model: String
        var request: ChatRequest
        var response: ChatResponse
    }

    private struct KeyMaterial: Encodable {
        var format: Int
        var model: String
        var request: ChatRequest
    }

    /// Opens (creating if needed) a cache in `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw BackendError(
                .configuration, "cannot create the response cache directory \(directory.path): \(error)")
        }
    }

    /// `$CLARIFYCODER_HOME/cache/responses`, with `CLARIFYCODER_HOME` defaulting to
    /// `~/.cache/clarifycoder` (the project-wide cache convention).
    public static func defaultDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        let home: URL
        if let value = environment["CLARIFYCODER_HOME"], !value.isEmpty {
            home = URL(fileURLWithPath: value, isDirectory: true)
        } else {
            home = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/clarifycoder")
        }
        return home.appendingPathComponent("cache/responses", isDirectory: true)
    }

    /// The stable key of a request to a model: SHA-256 of its canonical JSON (sorted keys).
    public static func key(model: String, request: ChatRequest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail; a failure would be a programming error.
        let data = try! encoder.encode(KeyMaterial(format: formatVersion, model: model, request: request))
        return SHA256.hexDigest(data)
    }

    /// The file an entry lives in.
    public func fileURL(forKey key: String) -> URL {
        directory.appendingPathComponent(String(key.prefix(2)), isDirectory: true)
            .appendingPathComponent(key + ".json")
    }

    public var statistics: Statistics { counters.withLock { $0 } }

    /// The stored answer to `request` from `model`, or `nil` (a miss).
    public func lookup(model: String, request: ChatRequest) -> ChatResponse? {
        let url = fileURL(forKey: Self.key(model: model, request: request))
        guard let data = try? Data(contentsOf: url) else {
            counters.withLock { $0.misses += 1 }
            return nil
        }
        guard let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.format == Self.formatVersion,
            entry.model == model, entry.request == request
        else {
            counters.withLock {
                $0.misses += 1
                $0.unreadable += 1
            }
            return nil
        }
        counters.withLock { $0.hits += 1 }
        return entry.response
    }

    /// Stores an answer, replacing any entry for the same key atomically.
    public func store(_ response: ChatResponse, model: String, request: ChatRequest) throws {
        let url = fileURL(forKey: Self.key(model: model, request: request))
        let shard = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(
                Entry(format: Self.formatVersion, model: model, request: request, response: response))
            let temporary = shard.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw BackendError(.configuration, "cannot move a cache entry into \(url.path): \(reason)")
            }
            counters.withLock { $0.stores += 1 }
        } catch {
            counters.withLock { $0.failedStores += 1 }
            throw BackendError(.configuration, "cannot write the cache entry \(url.path): \(error)")
        }
    }
}
