import Foundation
import Testing

@testable import ClarifyCore

@Suite("Dataset conversion")
struct DatasetConverterTests {
    @Test("problems become problem → code chat examples that read back as chat JSONL")
    func toChat() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path + "/chat.jsonl"
        let report = try DatasetConverter.convert(
            input: fixture("humaneval-sample.jsonl.gz"), output: output, to: .chat)
        #expect(report.written == 3 && report.from == .humaneval)
        let (dialogues, _) = try DatasetReader.loadDialogues(path: output)
        #expect(dialogues[0].messages.map(\.role) == [.user, .assistant])
        #expect(dialogues[0].messages[1].content.hasPrefix("```python\n"))
        #expect(dialogues[0].metadata["id"] == "HumanEval/0")
        #expect(try DatasetFormat.detect(path: output) == .chat)
    }

    @Test("stdin/stdout problems cannot become HumanEval; under skip they are listed, the rest written")
    func appsToHumanEval() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path + "/he.jsonl"
        let error = expectJSONLError {
            _ = try DatasetConverter.convert(input: fixture("apps-sample.jsonl"), output: output, to: .humaneval)
        }
        #expect(error?.line == 1)
        #expect(error?.field == "entry_point")
        #expect(!FileManager.default.fileExists(atPath: output))

        let report = try DatasetConverter.convert(
            input: fixture("apps-sample.jsonl"), output: output, to: .humaneval,
            options: JSONLReadOptions(onError: .skip))
        #expect(report.written == 0)
        #expect(report.stats.skipped == 3)
        #expect(report.stats.errors.map(\.line) == [1, 2, 3])
        #expect(report.stats.errors[1].field == "tests")
    }

    /// The generated check programs must really run: with the reference solution they pass,
    /// with a wrong one they fail. Needs only the system `python3` (as the sandbox does).
    @Test("converted HumanEvalComm and MBPP check programs pass the reference and fail a wrong solution")
    func checkProgramsRun() throws {
        let directory = try TemporaryDirectory()
        for input in ["humanevalcomm-v1-sample.jsonl", "mbpp-sample.jsonl"] {
            let output = directory.path + "/\(input).he.jsonl"
            _ = try DatasetConverter.convert(input: fixture(input), output: output, to: .humaneval)
            let (records, _) = try JSONL.readAll(HumanEvalRecord.self, from: output)
            #expect(try DatasetFormat.detect(path: output) == .humaneval)
            for record in records {
                let reference = record.prompt + record.canonicalSolution + "\n"
                let harness = record.test + "\n" + "check(\(record.entryPoint))\n"
                #expect(try runPython(reference + harness, in: directory) == 0, "\(record.taskID) should pass")
                // MBPP asserts and HumanEval/32's templates call the function by name: redefine it.
                let wrong = reference + "\ndef \(record.entryPoint)(*args, **kwargs):\n    return None\n\n" + harness
                #expect(try runPython(wrong, in: directory) != 0, "\(record.taskID) should fail a wrong solution")
            }
        }
    }

    private func runPython(_ program: String, in directory: TemporaryDirectory) throws -> Int32 {
        let path = try directory.file("program.py", program)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
