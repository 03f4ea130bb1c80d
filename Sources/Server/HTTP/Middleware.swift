import Foundation
import Hummingbird
import NIOCore

/// The outermost layer: every failure becomes an OpenAI-shaped error with the right status, and
/// every answer is counted for `/metrics`. An unknown path is a 404, a known path with the wrong
/// method a 405 naming the allowed ones; errors we did not make become a bare 500 — never a stack
/// trace or an internal message.
struct OpenAIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each route's path and the methods it answers.
    let routes: [String: [String]]
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = render(error, request: request)
        }
        metrics.countRequest(path: request.uri.path, status: response.status.code)
        return response
    }

    private func render(_ error: any Error, request: Request) -> Response {
        switch error {
        case let error as APIError:
            return error.response
        case is CancellationError:
            // The client left before the answer; nobody reads this (nginx's "client closed request").
            return Response(status: .init(code: 499, reasonPhrase: "Client Closed Request"))
        case is NIOTooManyBytesError:
            return APIError.bodyTooLarge(limit: nil).response
        case let error as HTTPError where error.status == .notFound:
            let path = request.uri.path
            if let allowed = routes[path] {
                return APIError.methodNotAllowed(request.method.rawValue, allowed: allowed).response
            }
            return APIError.notFound(path).response
        case let error as any HTTPResponseError:
            let status = error.status
            return APIError(
                status: status, message: status.reasonPhrase.isEmpty ? "Request failed." : status.reasonPhrase + ".",
                type: status.code >= 500 ? "server_error" : "invalid_request_error"
            ).response
        default:
            return APIError.internalError.response
        }
    }
}

/// With an API key set, `/v1/*` and `/metrics` need `Authorization: Bearer KEY` (the chat page and
/// `/health` stay open: the page asks for the key itself). The comparison takes the same time
/// wherever the first difference is.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/metrics" else { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix),
            Self.equalInConstantTime(Array(header.utf8.dropFirst(prefix.count)), Array(key.utf8))
        else { throw APIError.unauthorized }
        return try await next(request, context)
    }

    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0 && a.count == b.count
    }
}
