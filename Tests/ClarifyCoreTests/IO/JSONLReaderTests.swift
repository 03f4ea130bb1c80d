import Foundation
import Testing

@testable import ClarifyCore

private struct Row: Codable, Equatable {
    var id: Int
    var text: String
}

@Suite("JSONL reader")
struct JSONLReaderTests {
    @Test("records come back in order, with blank lines and CRLF endings tolerated and counted")
    func readsRecords() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file(
            "rows.jsonl", "{\"id\":1,\"text\":\"a\"}\r\n\n   \n{\"id\":2,\"text\":\"b\\nc\"}\n{\"id\":3,\"text\":\"é\"}"
        )
        let (rows, stats) = try JSONL.readAll(Row.self, from: path)
        #expect(rows == [Row(id: 1, text: "a"), Row(id: 2, text: "b\nc"), Row(id: 3, text: "é")])
        #expect(stats.records == 3)
        #expect(stats.blankLines == 2)
        #expect(stats.lines == 5)
        #expect(stats.skipped == 0)
    }

    @Test("lines that span read chunks are reassembled exactly")
    func tinyChunks() throws {
        let directory = try TemporaryDirectory()
        let rows = (0..<200).map { Row(id: $0, text: String(repeating: "xyz", count: $0 % 17)) }
        let text = try rows.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(
            separator: "\n")
        let path = try directory.file("rows.jsonl", text + "\n")
        let (read, _) = try JSONL.readAll(Row.self, from: path, options: JSONLReadOptions(chunkBytes: 7))
        #expect(read == rows)
    }

    @Test("a UTF-8 byte-order mark at the start is stripped and reported")
    func byteOrderMark() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("bom.jsonl", [0xEF, 0xBB, 0xBF] + Array("{\"id\":1,\"text\":\"a\"}\n".utf8))
        let (rows, stats) = try JSONL.readAll(Row.self, from: path)
        #expect(rows.count == 1)
        #expect(stats.byteOrderMark)
    }

    @Test("a byte-order mark in the middle of the file (concatenated files) is an error on its line")
    func byteOrderMarkInside() throws {
        let directory = try TemporaryDirectory()
        let bytes =
            Array("{\"id\":1,\"text\":\"a\"}\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("{\"id\":2,\"text\":\"b\"}\n".utf8)
        let path = try directory.file("two.jsonl", bytes)
        let error = expectJSONLError { _ = try JSONL.readAll(Row.self, from: path) }
        #expect(error?.line == 2)
        #expect(error?.reason == .byteOrderMarkInsideFile)
    }

    @Test("gzip input is inflated transparently")
    func gzip() throws {
        let (problems, stats) = try DatasetReader.loadProblems(path: fixture("humaneval-sample.jsonl.gz"))
        #expect(problems.map(\.id) == ["HumanEval/0", "HumanEval/1", "HumanEval/2"])
        #expect(stats.fileBytes == 1147)
    }

    @Test("under --on-error skip every bad line is counted and listed with its line number")
    func skipPolicy() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file(
            "mixed.jsonl",
            "{\"id\":1,\"text\":\"a\"}\n{\"id\":\"two\",\"text\":\"b\"}\n{oops\n{\"id\":4,\"text\":\"d\"}\n{\"id\":5}\n"
        )
        let (rows, stats) = try JSONL.readAll(Row.self, from: path, options: JSONLReadOptions(onError: .skip))
        #expect(rows.map(\.id) == [1, 4])
        #expect(stats.skipped == 3)
        #expect(stats.errors.map(\.line) == [2, 3, 5])
        #expect(stats.errors.map(\.field) == ["id", nil, "text"])
    }

    @Test("the default policy stops at the first bad line")
    func failPolicy() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("mixed.jsonl", "{\"id\":1,\"text\":\"a\"}\n{\"id\":true,\"text\":\"b\"}\n")
        let error = expectJSONLError { _ = try JSONL.readAll(Row.self, from: path) }
        #expect(error?.description == "\(path):2: field 'id': expected an integer")
    }

    @Test("numbers keep their JSON text: integers stay integers and floats use Python's repr")
    func jsonValueText() throws {
        let value = try JSONValue.parse(Data("[-10, 2.5, 0.0, 1e-06, 1.1641532182693481e-10, true, null]".utf8))
        #expect(value.pythonJSONText == "[-10, 2.5, 0.0, 1e-06, 1.1641532182693481e-10, true, null]")
    }
}
