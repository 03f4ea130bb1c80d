import Foundation
import Testing

@testable import ClarifyCore

/// Bad input must give a clear error naming the file (and line, where there is one) — never a
/// crash, never silent loss (docs/design.md, "Errors locate the fault").
@Suite("Malformed JSONL input")
struct MalformedInputTests {
    private let goodLine = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n"

    @Test("a truncated last line (crash mid-write) is invalid JSON on that line")
    func truncatedJSON() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("cut.jsonl", goodLine + goodLine + "{\"messages\":[{\"role\":\"us")
        let error = expectJSONLError { _ = try DatasetReader.loadDialogues(path: path) }
        #expect(error?.file == path)
        #expect(error?.line == 3)
        guard case .invalidJSON = error?.reason else {
            Issue.record("expected invalid JSON, got \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix("\(path):3: not valid JSON") == true)
    }

    @Test("invalid UTF-8 is named with its line and byte")
    func invalidUTF8() throws {
        let directory = try TemporaryDirectory()
        let bad =
            Array("{\"messages\":[{\"role\":\"user\",\"content\":\"caf".utf8) + [0xC3, 0x28] + Array("\"}]}\n".utf8)
        let path = try directory.file("latin.jsonl", Array(goodLine.utf8) + bad)
        let error = expectJSONLError { _ = try DatasetReader.loadDialogues(path: path) }
        #expect(error?.line == 2)
        #expect(error?.reason == .invalidUTF8(byteOffset: 42))
        #expect(error?.description.contains("invalid UTF-8 sequence at byte 43") == true)
    }

    @Test("overlong encodings and surrogates are not UTF-8")
    func strictUTF8() {
        let cases: [[UInt8]] = [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]]
        for bytes in cases {
            #expect(bytes.withUnsafeBytes { firstInvalidUTF8Offset($0) } != nil, "\(bytes)")
        }
        let valid = Array("ascii, é, 中文, 🙂".utf8)
        #expect(valid.withUnsafeBytes { firstInvalidUTF8Offset($0) } == nil)
    }

    @Test("wrong types and missing fields name the field path")
    func wrongTypes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file(
            "types.jsonl",
            goodLine + "{\"messages\":[{\"role\":\"user\",\"content\":5}]}\n" + "{\"messages\":[{\"content\":\"x\"}]}\n"
                + "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}\n" + "[1,2]\n")
        let (dialogues, stats) = try DatasetReader.loadDialogues(path: path, options: JSONLReadOptions(onError: .skip))
        #expect(dialogues.count == 1)
        #expect(stats.skipped == 4)
        let described = stats.errors.map(\.description)
        #expect(described[0] == "\(path):2: field 'messages[0].content': expected a string")
        #expect(described[1] == "\(path):3: field 'messages[0].role': required field is missing")
        #expect(stats.errors[2].field == "messages[0].role")
        #expect(stats.errors[3].line == 5)
    }

    @Test("a 50 MB line is read whole, and a line over the limit is skipped without buffering it")
    func hugeLine() throws {
        let directory = try TemporaryDirectory()
        let big = String(repeating: "a", count: 50 << 20)
        let text = goodLine + "{\"messages\":[{\"role\":\"user\",\"content\":\"\(big)\"}]}\n" + goodLine
        let path = try directory.file("big.jsonl", text)
        let (dialogues, _) = try DatasetReader.loadDialogues(path: path)
        #expect(dialogues.count == 3)
        #expect(dialogues[1].messages[0].content.utf8.count == 50 << 20)

        let limited = JSONLReadOptions(onError: .skip, maxLineBytes: 1 << 20)
        let (kept, stats) = try DatasetReader.loadDialogues(path: path, options: limited)
        #expect(kept.count == 2)
        #expect(stats.errors.first?.line == 2)
        #expect(stats.errors.first?.reason == .lineTooLong(limitBytes: 1 << 20))
    }

    @Test("an empty file holds no records and cannot be format-detected")
    func emptyFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("empty.jsonl", "")
        let (rows, stats) = try DatasetReader.loadDialogues(path: path)
        #expect(rows.isEmpty && stats.lines == 0)
        let error = expectJSONLError { _ = try DatasetSummary.inspect(path: path) }
        #expect(error?.description == "\(path): the file holds no records")
    }

    @Test("a missing file is named")
    func missingFile() {
        let error = expectJSONLError { _ = try JSONLReader(path: "/nonexistent/data.jsonl") }
        #expect(error?.description == "/nonexistent/data.jsonl: cannot open the file (No such file or directory)")
    }

    @Test("a .gz file that is not gzip, and damaged or cut gzip, are named")
    func badGzip() throws {
        let directory = try TemporaryDirectory()
        let plain = try directory.file("plain.jsonl.gz", goodLine)
        let error = expectJSONLError { _ = try JSONLReader(path: plain) }
        #expect(error?.reason == .notGzip(firstBytes: "7B 22"))

        let real = try Data(contentsOf: URL(fileURLWithPath: fixture("humaneval-sample.jsonl.gz")))
        let cut = try directory.file("cut.jsonl.gz", Array(real.prefix(real.count / 2)))
        let cutError = expectJSONLError { _ = try DatasetReader.loadProblems(path: cut, format: .humaneval) }
        #expect(cutError?.description.contains("the gzip data is damaged or cut short") == true)

        var damaged = Array(real)
        for index in 40..<200 { damaged[index] ^= 0x5A }
        let damagedPath = try directory.file("damaged.jsonl.gz", damaged)
        let damagedError = expectJSONLError {
            _ = try DatasetReader.loadProblems(path: damagedPath, format: .humaneval, options: .init(onError: .skip))
        }
        guard case .corruptGzip = damagedError?.reason else {
            Issue.record("expected corrupt gzip, got \(String(describing: damagedError))")
            return
        }
    }

    @Test("a UTF-16 file is recognised as such")
    func utf16() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("utf16.jsonl", [0xFF, 0xFE] + Array("{\0}\0\n\0".utf8))
        let error = expectJSONLError { _ = try DatasetReader.loadDialogues(path: path) }
        #expect(error?.description.contains("UTF-16") == true)
    }

    @Test("a directory given as a file is named")
    func directoryAsFile() throws {
        let directory = try TemporaryDirectory()
        let error = expectJSONLError { _ = try JSONLReader(path: directory.path) }
        #expect(error?.reason == .cannotOpen("it is a directory"))
    }
}
