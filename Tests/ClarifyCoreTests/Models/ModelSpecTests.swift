import Foundation
import Testing

@testable import ClarifyCore

/// The one parser of model names and paths, and the one definition of a model's identity.
@Suite("Model specification")
struct ModelSpecTests {
    @Test("known names (any case), openai:NAME, reference and existing paths parse to their kinds")
    func forms() throws {
        let directory = try TemporaryDirectory()
        let gguf = try directory.file("model.gguf", [0])
        #expect(try ModelSpec(parsing: "smollm2") == .known(.smollm2))
        #expect(try ModelSpec(parsing: "Qwen2.5-Coder-0.5B") == .known(.qwen25Coder05B))
        #expect(try ModelSpec(parsing: "qwen2.5-coder-1.5b") == .known(.qwen25Coder15B))
        #expect(try ModelSpec(parsing: "openai:gpt-4o-mini") == .openAI(name: "gpt-4o-mini"))
        #expect(try ModelSpec(parsing: "reference") == .reference)
        #expect(try ModelSpec(parsing: gguf) == .gguf(path: gguf))
        #expect(try ModelSpec(parsing: directory.path) == .huggingFaceFolder(path: directory.path))
        for text in ["smollm2", "openai:m", "reference", gguf] {
            #expect(try ModelSpec(parsing: text).description == text, "\(text) prints back as itself")
        }
    }

    @Test("an unknown name lists the known ones; a missing path and a bare openai: say what is wrong")
    func errors() {
        #expect {
            try ModelSpec(parsing: "qwen-7b")
        } throws: { error in
            let message = "\(error)"
            return message.contains("unknown model 'qwen-7b'")
                && KnownModel.names.allSatisfy { message.contains($0) } && message.contains("openai:NAME")
        }
        #expect { try ModelSpec(parsing: "/no/such/model.gguf") } throws: {
            "\($0)".contains("/no/such/model.gguf: no such file or folder")
        }
        #expect { try ModelSpec(parsing: "openai:") } throws: { "\($0)".contains("needs a NAME") }
    }

    @Test("a known name that is not cached gives the exact fetch command; a remote model has no local path")
    func localPath() throws {
        let directory = try TemporaryDirectory()
        let store = AssetStore(home: directory.path)
        #expect {
            try ModelSpec.known(.qwen25Coder15B).localPath(store: store)
        } throws: { error in
            "\(error)".contains("clarifycoder data fetch --only qwen2.5-coder-1.5b")
        }
        #expect { try ModelSpec.known(.smollm2).localPath(store: store) } throws: {
            "\($0)".contains("clarifycoder data fetch --only smollm2")
        }
        #expect { try ModelSpec.openAI(name: "m").localPath(role: "--model") } throws: {
            "\($0)".contains("--model must be a local model")
        }
        #expect(try ModelSpec.gguf(path: "/x/m.gguf").localPath() == "/x/m.gguf")
    }

    @Test("identity: a known model by its file's name, also when named by its cached path; an adapter by its content")
    func identity() throws {
        #expect(try ModelSpec.known(.smollm2).identity() == "smollm2-135m-instruct-q4_1")
        #expect(try ModelSpec.known(.qwen25Coder05B).identity() == "qwen2.5-coder-0.5b-instruct-q4_k_m")
        let cached = AssetStore().location(for: .qwen25Coder05B)
        #expect(try ModelSpec.gguf(path: cached).identity() == "qwen2.5-coder-0.5b-instruct-q4_k_m")
        #expect(try ModelSpec.gguf(path: "/m/x.gguf").identity() == "local:/m/x.gguf")
        #expect(ModelSpec.gguf(path: cached).huggingFaceID == "Qwen/Qwen2.5-Coder-0.5B-Instruct")

        let directory = try TemporaryDirectory()
        let adapter = directory.path + "/tuned"
        try FileManager.default.createDirectory(atPath: adapter, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: adapter + "/adapter_model.safetensors"))
        let first = try ModelSpec.known(.smollm2).identity(adapter: adapter)
        #expect(first.hasPrefix("smollm2-135m-instruct-q4_1+adapter:tuned@"))
        try Data([1, 2, 4]).write(to: URL(fileURLWithPath: adapter + "/adapter_model.safetensors"))
        #expect(try ModelSpec.known(.smollm2).identity(adapter: adapter) != first, "new weights, new identity")
    }

    @Test("every known model names its asset, upstream model and Apache-2.0 licence")
    func knownModels() {
        #expect(KnownModel.names == ["smollm2", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"])
        for model in KnownModel.allCases {
            #expect(model.licence == "Apache-2.0" && model.asset.huggingFaceID == model.huggingFaceID)
            #expect(KnownModel(huggingFaceID: model.huggingFaceID) == model)
        }
        #expect(KnownModel.qwen25Coder15B.huggingFaceID == "Qwen/Qwen2.5-Coder-1.5B-Instruct")
    }
}
