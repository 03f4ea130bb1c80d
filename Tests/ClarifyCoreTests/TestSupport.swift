import Foundation
import Testing

@testable import ClarifyCore

/// The path of a committed fixture (Tests/ClarifyCoreTests/Fixtures).
func fixture(_ name: String) -> String {
    Bundle.module.resourcePath! + "/Fixtures/" + name
}

/// A fresh temporary folder, removed when the returned object is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "clarifycoder-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` inside the folder and returns the file's path.
    @discardableResult
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = self.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, Array(text.utf8))
    }
}

/// Runs `body` expecting a ``JSONLError`` and returns it, recording a test issue otherwise.
func expectJSONLError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> JSONLError? {
    do {
        try body()
        Issue.record("expected a JSONLError, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as JSONLError {
        return error
    } catch {
        Issue.record("expected a JSONLError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
