import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An in-process OpenAI-compatible server on 127.0.0.1 for tests and benchmarks: it answers
/// `POST /v1/chat/completions` and `GET /v1/models` after a fixed latency, and fails on cue
/// (429 with `Retry-After`, 500, hangs, truncated JSON, garbage, connection resets) as a
/// ``FakeBehavior`` plan decides per request.
///
/// It listens on loopback only and serves at most ``Configuration/maxRequests`` requests;
/// later ones get a 503 and the connection is closed, so a runaway client loop ends.
/// Hung requests are closed after ``Configuration/hangLimit``. Built on SwiftNIO's HTTP/1.1
/// server pipeline, with one event-loop thread of its own.
public final class FakeOpenAIServer: Sendable {
    public struct Configuration: Sendable {
        /// Time from a request's last byte to the response.
        public var latency: Duration
        /// Requests served before the server answers 503 to everything.
        public var maxRequests: Int
        /// How long a `.hang` request is held before its connection is closed.
        public var hangLimit: Duration
        /// When set, a request without `Authorization: Bearer <key>` gets a 401.
        public var requiredAPIKey: String?
        /// Models listed by `GET /v1/models`.
        public var models: [String]
        /// Decides each chat request's fate.
        public var plan: @Sendable (FakeRequest) -> FakeBehavior

        public init(
            latency: Duration = .zero,
            maxRequests: Int = 100_000,
            hangLimit: Duration = .seconds(5),
            requiredAPIKey: String? = nil,
            models: [String] = ["fake-model"],
            plan: @escaping @Sendable (FakeRequest) -> FakeBehavior = { _ in .ok }
        ) {
            self.latency = latency
            self.maxRequests = maxRequests
            self.hangLimit = hangLimit
            self.requiredAPIKey = requiredAPIKey
            self.models = models
            self.plan = plan
        }
    }

    /// What the server has seen.
    public struct Statistics: Sendable, Hashable {
        /// Requests received (chat and other), including refused ones.
        public var requests = 0
        /// Chat requests by the behaviour chosen for them.
        public var behaviors: [FakeBehavior: Int] = [:]
        /// Requests received but not yet answered.
        public var inFlight = 0
        /// The most requests ever waiting for an answer at once.
        public var maxInFlight = 0
    }

    public let configuration: Configuration
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    let state: Mutex<State>

    struct State {
        var statistics = Statistics()
        var attemptsByMessage: [String: Int] = [:]
    }

    /// `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    private init(configuration: Configuration, port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.configuration = configuration
        self.port = port
        self.group = group
        self.channel = channel
        state = Mutex(State())
    }

    /// Starts a server on 127.0.0.1 at a free port.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> FakeOpenAIServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = ServerBox()
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 512)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(FakeServerHandler(box: box))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            guard let port = channel.localAddress?.port else {
                try? await channel.close()
                throw FakeServerError(message: "the fake server bound no port")
            }
            let server = FakeOpenAIServer(configuration: configuration, port: port, group: group, channel: channel)
            box.set(server)
            return server
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Stops listening, closes open connections and its event loop.
    public func shutdown() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }

    /// Registers a request and returns what to do with it.
    func admit(_ request: inout FakeRequest, isChat: Bool) -> FakeBehavior? {
        state.withLock { state in
            request.number = state.statistics.requests
            state.statistics.requests += 1
            guard request.number < configuration.maxRequests else { return nil }
            state.statistics.inFlight += 1
            state.statistics.maxInFlight = max(state.statistics.maxInFlight, state.statistics.inFlight)
            guard isChat else { return .ok }
            request.attempt = state.attemptsByMessage[request.lastUserMessage, default: 0]
            state.attemptsByMessage[request.lastUserMessage] = request.attempt + 1
            let behavior = configuration.plan(request)
            state.statistics.behaviors[behavior, default: 0] += 1
            return behavior
        }
    }

    func finished() {
        state.withLock { $0.statistics.inFlight -= 1 }
    }
}

/// Passes the server to connection handlers created before `start` returns it.
final class ServerBox: Sendable {
    private let value = Mutex<FakeOpenAIServer?>(nil)
    var server: FakeOpenAIServer? { value.withLock { $0 } }
    func set(_ server: FakeOpenAIServer) { value.withLock { $0 = server } }
}

struct FakeServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
