import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix

/// One connection of the fake server: collects a request, asks the server's plan what to do,
/// and does it after the configured latency, on the connection's event loop.
final class FakeServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: ServerBox
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(box: ServerBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head, let server = box.server else { return }
            self.head = nil
            handle(head, body: Data(buffer: body), server: server, context: context)
        }
    }

    private func handle(_ head: HTTPRequestHead, body: Data, server: FakeOpenAIServer, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        let isChat = head.method == .POST && path.hasSuffix("/chat/completions")
        var request = FakeRequest(
            number: 0, method: "\(head.method)", path: path, lastUserMessage: "", attempt: 0, n: 1,
            authorization: head.headers.first(name: "Authorization"), model: "fake-model")
        var badBody = false
        if isChat {
            if let chat = try? JSONDecoder().decode(FakeBodies.ChatBody.self, from: body) {
                request.lastUserMessage = chat.messages.last { $0.role == "user" }?.content ?? ""
                request.n = chat.n ?? 1
                request.model = chat.model ?? request.model
            } else {
                badBody = true
            }
        }
        guard let behavior = server.admit(&request, isChat: isChat) else {
            respond(
                context, .serviceUnavailable, FakeBodies.error("fake server request limit reached", type: "limit"),
                close: true, server: nil)
            return
        }
        let configuration = server.configuration
        let reply: () -> Void = { [self] in
            if let key = configuration.requiredAPIKey, request.authorization != "Bearer \(key)" {
                respond(context, .unauthorized, FakeBodies.error("invalid api key", type: "auth"), server: server)
            } else if head.method == .GET && path.hasSuffix("/models") {
                respond(context, .ok, FakeBodies.models(configuration.models), server: server)
            } else if !isChat {
                respond(context, .notFound, FakeBodies.error("no route \(path)", type: "not_found"), server: server)
            } else if badBody {
                respond(
                    context, .badRequest, FakeBodies.error("body is not a chat request", type: "invalid"),
                    server: server)
            } else {
                perform(behavior, request: request, context: context, server: server)
            }
        }
        if configuration.latency > .zero && behavior != .hang {
            let nanoseconds = Int64(
                Double(configuration.latency.components.seconds) * 1e9
                    + Double(configuration.latency.components.attoseconds) / 1e9)
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { reply() }
        } else {
            reply()
        }
    }

    private func perform(
        _ behavior: FakeBehavior, request: FakeRequest, context: ChannelHandlerContext, server: FakeOpenAIServer
    ) {
        switch behavior {
        case .ok:
            respond(context, .ok, FakeBodies.completion(for: request), server: server)
        case .rateLimited(let retryAfter):
            var headers = HTTPHeaders()
            if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
            respond(
                context, .tooManyRequests, FakeBodies.error("rate limit reached", type: "rate_limit"),
                headers: headers, server: server)
        case .serverError:
            respond(
                context, .internalServerError, FakeBodies.error("the fake server failed", type: "server_error"),
                server: server)
        case .hang:
            let limit = server.configuration.hangLimit
            let nanoseconds =
                Int64(limit.components.seconds) * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) {
                server.finished()
                context.close(promise: nil)
            }
        case .truncatedJSON:
            let full = FakeBodies.completion(for: request)
            respond(context, .ok, String(full.prefix(full.count / 2)), server: server)
        case .garbage:
            respond(context, .ok, FakeBodies.garbage, contentType: "text/html", server: server)
        case .connectionReset:
            server.finished()
            // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            if let provider = context.channel as? any SocketOptionProvider {
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            } else {
                context.close(promise: nil)
            }
        case .emptyChoices:
            respond(context, .ok, FakeBodies.emptyChoices(for: request), server: server)
        case .notACompletion:
            respond(context, .ok, "{\"object\": \"list\", \"data\": []}", server: server)
        case .status(let code, let text):
            respond(context, HTTPResponseStatus(statusCode: code), text, server: server)
        }
    }

    private func respond(
        _ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ text: String,
        headers extra: HTTPHeaders = HTTPHeaders(), contentType: String = "application/json",
        close: Bool = false, server: FakeOpenAIServer?
    ) {
        server?.finished()
        guard context.channel.isActive else { return }
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        var headers = extra
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(buffer.readableBytes)")
        if close { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        if close {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
