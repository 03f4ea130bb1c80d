import Foundation

/// How to reach an OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp's `llama-server`,
/// Ollama, Gemini's OpenAI layer) and how hard to try.
public struct OpenAIConfiguration: Sendable, Hashable {
    /// The server's base URL, with or without the trailing `/v1` (`http://127.0.0.1:8080`,
    /// `https://api.openai.com/v1`).
    public var baseURL: String
    /// The model name sent in every request (`gpt-4o-mini`, `qwen2.5-coder:7b`).
    public var model: String
    /// The environment variable holding the API key. When it is unset or empty no
    /// `Authorization` header is sent (local servers need none); a 401 then says to set it.
    /// The key itself is never logged nor put in an error message.
    public var apiKeyEnvironmentVariable: String
    /// Requests in flight at once, across all callers of one model value.
    public var maxConcurrentRequests: Int
    /// The longest one attempt may take, from sending the request to the last body byte.
    public var attemptTimeout: Duration
    /// The longest one call of `complete` may take, retries and back-off included; `nil` for
    /// no limit beyond `attemptTimeout` × attempts.
    public var requestDeadline: Duration?
    public var retry: RetryPolicy
    /// Larger bodies are rejected rather than buffered.
    public var maxResponseBytes: Int

    public init(
        baseURL: String,
        model: String,
        apiKeyEnvironmentVariable: String = "OPENAI_API_KEY",
        maxConcurrentRequests: Int = 16,
        attemptTimeout: Duration = .seconds(120),
        requestDeadline: Duration? = .seconds(600),
        retry: RetryPolicy = RetryPolicy(),
        maxResponseBytes: Int = 16 << 20
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.maxConcurrentRequests = maxConcurrentRequests
        self.attemptTimeout = attemptTimeout
        self.requestDeadline = requestDeadline
        self.retry = retry
        self.maxResponseBytes = maxResponseBytes
    }

    /// The API root ending in `/v1` with no trailing slash, after checking that the base URL
    /// is an absolute http(s) URL with a host.
    public func apiRoot() throws -> String {
        var text = baseURL.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw BackendError(
                .configuration,
                "base URL '\(baseURL)' is not an absolute http(s) URL; pass one like http://127.0.0.1:8080/v1")
        }
        if !text.hasSuffix("/v1") { text += "/v1" }
        return text
    }

    /// The API key from the environment, `nil` when the variable is unset or empty.
    func apiKey(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let key = environment[apiKeyEnvironmentVariable], !key.isEmpty else { return nil }
        return key
    }
}
