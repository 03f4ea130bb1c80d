import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Server

/// A client that trickles its request (slowloris) or keeps an idle connection is closed after
/// `--idle-timeout`; one whose answer is still being computed is not.
@Suite("serve: idle connections")
struct IdleTimeoutTests {
    /// Opens a TCP connection to 127.0.0.1:`port`, sends `text`, and returns how many seconds pass
    /// until the server closes the connection (nil: still open after `limit` seconds).
    static func secondsUntilClosed(port: Int, sending text: String, limit: Double) -> Double? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(connected == 0, "connect")
        _ = text.withCString { send(fd, $0, strlen($0), 0) }
        var timeout = timeval(tv_sec: Int(limit), tv_usec: Int((limit - limit.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return Date().timeIntervalSince(start) }  // closed by the server
            if count < 0 { return errno == ECONNRESET ? Date().timeIntervalSince(start) : nil }  // timed out
        }
    }

    @Test("a request trickled in and never finished is closed after the idle timeout; a finished one is answered")
    func slowloris() async throws {
        let models = try TinyModel.models(adapter: false)
        try await withServer(models, ServerParameters(port: 0, idleTimeout: 1)) { url in
            let port = Int(url.split(separator: ":").last!)!
            let partial = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            let closedAfter = Self.secondsUntilClosed(port: port, sending: partial, limit: 10)
            #expect(closedAfter != nil && closedAfter! < 8, "closed after \(String(describing: closedAfter)) s")
            let idle = Self.secondsUntilClosed(port: port, sending: "", limit: 10)
            #expect(idle != nil && idle! < 8, "an idle connection is closed too")
            let health = try await send(.GET, url + "/health")
            #expect(health.status == 200)
        }
        #expect(throws: ServerError.self) { try ServerParameters(idleTimeout: 0).validate() }
    }
}
