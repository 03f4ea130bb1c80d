import ArgumentParser
import ClarifyCore
import Foundation
import Testing

@testable import clarifycoder

@Suite("clarifycoder data, mix and synthesize: reading files")
struct DataCommandTests {
    func scratch(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cc-data-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("--max-line-mib is spelt as documented; the old --max-line-mi-b still works")
    func maxLineFlag() throws {
        #expect(try DataInspectCommand.parse(["f.jsonl", "--max-line-mib", "3"]).read.jsonl.maxLineBytes == 3 << 20)
        #expect(try DataInspectCommand.parse(["f.jsonl", "--max-line-mi-b", "2"]).read.jsonl.maxLineBytes == 2 << 20)
        #expect(try DataInspectCommand.parse(["f.jsonl"]).read.jsonl.maxLineBytes == 256 << 20)
        #expect(!DataInspectCommand.helpMessage().contains("mi-b"))
        #expect(throws: (any Error).self) { try DataInspectCommand.parse(["f.jsonl", "--max-line-mib", "0"]) }
    }

    @Test("a bad role is reported with the file, line, field and allowed roles — no Swift type names")
    func badRole() throws {
        let folder = try scratch("role")
        let path = folder + "/chat.jsonl"
        try (#"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}"# + "\n"
            + #"{"messages": [{"role": "user", "content": "hi"}, {"role": "bot", "content": "yo"}]}"# + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try DataInspectCommand.parse([path]).run()
        } throws: { error in
            "\(error)" == "\(path):2: field 'messages[1].role': unknown role 'bot'; expected system, user, assistant"
        }
    }

    @Test("data inspect reads the Alpaca and ShareGPT files mix writes, detected or named with --format")
    func inspectsOtherFormats() throws {
        let folder = try scratch("formats")
        let alpaca = folder + "/a.jsonl"
        try #"{"instruction": "Add 2 and 3.", "input": "", "output": "5"}"#.write(toFile: alpaca, atomically: true, encoding: .utf8)
        let share = folder + "/s.jsonl"
        try #"{"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "yo"}]}"#
            .write(toFile: share, atomically: true, encoding: .utf8)
        for (path, format) in [(alpaca, DatasetFormat.alpaca), (share, .sharegpt)] {
            let summary = try DatasetSummary.inspect(path: path, format: nil)
            #expect(summary.format == format && summary.records == 1)
            let rows = SummaryTable.render(summary).split(separator: "\n")
            #expect(rows.contains { $0.hasPrefix("dialogues ") && $0.hasSuffix(" 1") })
            #expect(try DataInspectCommand.parse([path, "--format", format.rawValue]).format.format == format)
        }
    }

    @Test("synthesize and mix take --on-error skip: bad lines are counted and the rest is used")
    func onErrorSkip() async throws {
        let folder = try scratch("skip")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ClarifyCoreTests/Fixtures/humanevalcomm-v1-sample.jsonl").path
        let lines = try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        let problems = folder + "/problems.jsonl"
        try ([lines[0], #"{"name": "broken", "entry_point": 3}"#] + lines.dropFirst()).joined(separator: "\n")
            .write(toFile: problems, atomically: true, encoding: .utf8)
        let synthesis = ["--problems", problems, "--per-problem", "1", "--out", folder + "/synth"]
        await #expect {
            try await SynthesizeCommand.parse(synthesis).run()
        } throws: { "\($0)".contains("problems.jsonl:2") }
        try await SynthesizeCommand.parse(synthesis + ["--on-error", "skip"]).run()
        let examples = try String(contentsOfFile: folder + "/synth/examples.jsonl", encoding: .utf8)
        #expect(!examples.isEmpty)

        try (examples + "{\"not\": \"an example\"}\n").write(toFile: folder + "/synth/examples.jsonl", atomically: true, encoding: .utf8)
        let mix = [folder + "/synth", "--val-fraction", "0", "--out", folder + "/mix"]
        #expect(throws: (any Error).self) { try MixCommand.parse(mix).run() }
        try MixCommand.parse(mix + ["--on-error", "skip"]).run()
        #expect(FileManager.default.fileExists(atPath: folder + "/mix/train.jsonl"))
    }
}
