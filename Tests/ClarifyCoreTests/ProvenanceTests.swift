import Foundation
import Testing

@testable import ClarifyCore

@Suite("Provenance")
struct ProvenanceTests {
    @Test("every key is written, unknown facts as null, so all manifests have one shape")
    func shape() throws {
        let provenance = Provenance(
            version: "0.1.0", commit: nil, model: nil, modelSHA256: nil, command: "clarifycoder mix runs/a")
        let object = try JSONSerialization.jsonObject(with: provenance.json) as! [String: Any]
        #expect(Set(object.keys) == ["clarifycoder_version", "git_commit", "model", "model_sha256", "command"])
        #expect(object["git_commit"] is NSNull)
        #expect(object["command"] as? String == "clarifycoder mix runs/a")
        #expect(try JSONDecoder().decode(Provenance.self, from: provenance.json) == provenance)
    }

    @Test("the command line names the program, not its path, and quotes what a shell would split")
    func commandLine() {
        let line = Provenance.commandLine([
            "/work/.build/release/clarifycoder", "eval", "--model", "my model.gguf", "--title", "it's", "--limit", "3",
        ])
        #expect(line == "clarifycoder eval --model 'my model.gguf' --title 'it'\\''s' --limit 3")
        #expect(Provenance.commandLine([]) == "")
    }

    @Test("a model file's hash is its SHA-256, or the one its cache manifest recorded for it")
    func modelHash() throws {
        let directory = try TemporaryDirectory()
        let model = try directory.file("model.gguf", "GGUF fake weights")
        #expect(ModelHash.sha256(of: model) == FileHash.sha256Hex(Data("GGUF fake weights".utf8)))
        // A manifest beside the file, for this very file (name and size), is trusted without re-reading it.
        try directory.file(
            "manifest.json",
            #"{"file": "\#(model)", "size": 17, "file_sha256": "recorded", "asset": "model"}"#)
        #expect(ModelHash.sha256(of: model) == "recorded")
        // One describing another size is not.
        try directory.file("manifest.json", #"{"file": "model.gguf", "size": 99, "file_sha256": "recorded"}"#)
        #expect(ModelHash.sha256(of: model) == FileHash.sha256Hex(Data("GGUF fake weights".utf8)))
        #expect(ModelHash.sha256(of: directory.path + "/absent.gguf") == nil)
        #expect(ModelHash.sha256(of: directory.path) == nil, "a folder without model.safetensors")
    }

    @Test("the commit is read from a git checkout and is nil outside one")
    func commit() throws {
        let outside = try TemporaryDirectory()
        #expect(GitCommit.read(directory: outside.path) == nil)
        #expect(GitCommit.read(directory: outside.path + "/missing") == nil)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/git") else { return }
        let git = { (arguments: [String]) throws in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", outside.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        try git(["init", "-q"])
        try outside.file("a.txt", "one")
        try git(["add", "a.txt"])
        try git(["commit", "-q", "-m", "first"])
        let clean = try #require(GitCommit.read(directory: outside.path))
        #expect(clean.count == 40 && clean.allSatisfy(\.isHexDigit))
        try outside.file("a.txt", "two")
        #expect(GitCommit.read(directory: outside.path) == clean + "-dirty")
    }

    @Test("the one-line summary shortens the commit and the hash")
    func summary() {
        let provenance = Provenance(
            version: "0.1.0", commit: String(repeating: "a", count: 40), model: "smollm2",
            modelSHA256: String(repeating: "b", count: 64), command: "clarifycoder eval")
        #expect(provenance.summary == "ClarifyCoder 0.1.0, commit aaaaaaaaaaaa, model smollm2 (sha256 bbbbbbbbbbbb…)")
    }
}
