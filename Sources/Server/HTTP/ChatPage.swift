import Foundation
import Hummingbird

/// The chat page's files (`Sources/Server/Public`: HTML, CSS and JavaScript written by hand — no
/// CDN, no build step), read once from the target's resources and served from memory, so no
/// request path ever reaches the file system.
struct ChatPage: Sendable {
    /// Path → file name.
    static let routes: [(String, String)] = [("/", "index.html"), ("/chat.js", "chat.js"), ("/chat.css", "chat.css")]
    static let shared = ChatPage()

    private let files: [String: Data]

    init() {
        var files: [String: Data] = [:]
        for (_, name) in Self.routes {
            let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Public")
            files[name] = url.flatMap { try? Data(contentsOf: $0) }
        }
        self.files = files
    }

    func response(for name: String) -> Response {
        guard let data = files[name] else { return APIError.notFound("/" + name).response }
        let type =
            switch (name as NSString).pathExtension {
            case "html": "text/html; charset=utf-8"
            case "css": "text/css; charset=utf-8"
            default: "text/javascript; charset=utf-8"
            }
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache",
                // The page runs only its own script and talks only to this server.
                .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
