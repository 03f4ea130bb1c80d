import Foundation
import Testing

@testable import ClarifyCore

@Suite("JSONL writer")
struct JSONLWriterTests {
    @Test("an atomic write leaves the old file intact until commit, then replaces it whole")
    func atomicWrite() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("out.jsonl", "old\n")
        let writer = try JSONLWriter.atomic(path: path)
        try writer.write(Message.user("one"))
        try writer.write(Message.assistant("two"))
        try writer.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        try writer.commit()
        let (messages, _) = try JSONL.readAll(Message.self, from: path)
        #expect(messages == [.user("one"), .assistant("two")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.jsonl"])
    }

    @Test("an atomic writer dropped without commit leaves nothing behind")
    func abandonedWrite() throws {
        let directory = try TemporaryDirectory()
        do {
            let writer = try JSONLWriter.atomic(path: directory.path + "/never.jsonl")
            try writer.write(Message.user("lost"))
            try writer.flush()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("resuming cuts a partial last line left by a crash and appends after the complete ones")
    func resume() throws {
        let directory = try TemporaryDirectory()
        let complete = "{\"content\":\"a\",\"role\":\"user\"}\n{\"content\":\"b\",\"role\":\"user\"}\n"
        let path = try directory.file("run.jsonl", complete + "{\"content\":\"c\",\"ro")
        let (writer, resume) = try JSONLWriter.resuming(path: path)
        #expect(resume.completeLines == 2)
        #expect(resume.truncatedBytes == 18)
        try writer.write(Message.user("c"))
        try writer.commit()
        let (messages, stats) = try JSONL.readAll(Message.self, from: path)
        #expect(messages.map(\.content) == ["a", "b", "c"])
        #expect(stats.skipped == 0)

        let (again, clean) = try JSONLWriter.resuming(path: path)
        #expect(clean == JSONLWriter.ResumePoint(completeLines: 3, truncatedBytes: 0))
        try again.commit()
    }

    @Test("resuming a file that does not exist yet starts it")
    func resumeFresh() throws {
        let directory = try TemporaryDirectory()
        let (writer, resume) = try JSONLWriter.resuming(path: directory.path + "/new.jsonl")
        #expect(resume.completeLines == 0)
        try writer.write(Message.user("first"))
        try writer.commit()
        #expect(try JSONL.readAll(Message.self, from: directory.path + "/new.jsonl").records.count == 1)
    }
}
