/// Why a model file (GGUF, safetensors, tokenizer.json, config.json) could not be read.
///
/// Every reader in this target reports bad input through this one type, so a user sees the
/// same shape of message everywhere: the file, where in it (a byte offset, a metadata key, a
/// tensor name, a JSON field), and what was wrong. Modelled on async-http-client's
/// `HTTPClientError`: a struct around a private code so cases can be added without breaking
/// callers who switch on them.
public struct ModelFileError: Error, CustomStringConvertible, Sendable, Equatable {
    enum Code: Sendable, Equatable {
        case cannotOpen
        case badMagic
        case unsupportedVersion
        case truncated
        case invalidValue
        case unsupportedType
        case outOfBounds
    }

    let code: Code
    /// The file the error is about (a path, or a caller-supplied name for in-memory bytes).
    public let file: String
    /// Where in the file: `offset 1234`, `key tokenizer.ggml.merges`, `tensor blk.0.attn_q.weight`.
    public let location: String?
    /// What was wrong, in words a user can act on.
    public let reason: String

    init(_ code: Code, file: String, location: String? = nil, _ reason: String) {
        self.code = code
        self.file = file
        self.location = location
        self.reason = reason
    }

    public var description: String {
        if let location { return "\(file): \(location): \(reason)" }
        return "\(file): \(reason)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.file == rhs.file && lhs.location == rhs.location && lhs.reason == rhs.reason
    }

    /// The file could not be opened or mapped (missing, a directory, permission).
    public var isCannotOpen: Bool { code == .cannotOpen }
    /// The file ended before a structure it declares.
    public var isTruncated: Bool { code == .truncated }
    /// The file uses a tensor or value type this reader does not implement.
    public var isUnsupportedType: Bool { code == .unsupportedType }
}
