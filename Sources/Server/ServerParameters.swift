import Foundation

/// How `clarifycoder serve` listens and how much it takes on: one value for the CLI's flags and
/// the library, with one set of defaults.
public struct ServerParameters: Sendable, Equatable {
    /// The address to bind. Loopback by default: a model server answers anyone who can reach it.
    public var host: String
    /// The TCP port (0 picks a free one; the server reports which).
    public var port: Int
    /// Sequences decoding together per model (the continuous batch's slots); more wait in a queue.
    public var parallel: Int
    /// When set, every `/v1/*` and `/metrics` request must carry `Authorization: Bearer KEY`.
    public var apiKey: String?
    /// Request bodies larger than this are refused with 413 before they are parsed.
    public var maxBodyBytes: Int
    /// Positions per sequence, prompt and answer (the model's own limit if smaller); longer prompts
    /// are refused with 400.
    public var context: Int
    /// Seconds a connection may send nothing while its request is being read, or between requests,
    /// before it is closed: a client that stops part-way through its headers or body (slowloris) or
    /// holds an idle keep-alive connection cannot hold a socket for ever. (Each body chunk restarts
    /// the clock, so a body trickled a byte at a time stays open; `--max-body` bounds its size.)
    /// Never applies while an answer is being computed or streamed.
    public var idleTimeout: Double

    public init(
        host: String = "127.0.0.1", port: Int = 8080, parallel: Int = 16, apiKey: String? = nil,
        maxBodyBytes: Int = 1 << 20, context: Int = 8192, idleTimeout: Double = 60
    ) {
        self.host = host
        self.port = port
        self.parallel = parallel
        self.apiKey = apiKey
        self.maxBodyBytes = maxBodyBytes
        self.context = context
        self.idleTimeout = idleTimeout
    }

    /// Checks the values, naming the setting at fault.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw ServerError(message) }
        }
        try check(!host.isEmpty, "host: empty; give an address such as 127.0.0.1")
        try check((0...65535).contains(port), "port: \(port) is not a TCP port (0...65535)")
        try check((1...256).contains(parallel), "parallel: \(parallel) must be in 1...256")
        try check(apiKey.map { !$0.isEmpty } ?? true, "api key: empty; leave it out to serve without one")
        try check(maxBodyBytes >= 1024, "max body: \(maxBodyBytes) bytes is too small for any request (1 KiB at least)")
        try check(context >= 2, "context: \(context) positions cannot hold a prompt and an answer")
        try check((0.001...86_400).contains(idleTimeout), "idle timeout: \(idleTimeout) s must be between 1 ms and a day")
    }

    /// Parses a byte size: `1048576`, `512KiB`, `1MiB`, `2MB`, `1k` (binary and decimal units).
    public static func byteCount(parsing text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber }
        guard let value = Int(digits), value >= 0 else { return nil }
        let units: [String: Int] = [
            "": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "kb": 1000, "m": 1 << 20, "mib": 1 << 20, "mb": 1_000_000,
            "g": 1 << 30, "gib": 1 << 30, "gb": 1_000_000_000,
        ]
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let scale = units[unit] else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}

/// A server setting or served model that cannot work, with what to change.
public struct ServerError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
