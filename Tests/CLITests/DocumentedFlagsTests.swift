import Foundation
import Testing

@testable import clarifycoder

/// The docs are an interface: every flag README.md and docs/*.md show on a command must exist on
/// it, and every flag of every command must be documented. The flags come from ArgumentParser's
/// own description of the command tree (`_dumpHelp`, what `--experimental-dump-help` prints), so
/// a flag added, renamed or removed in code is seen here without a list to keep up to date.
@Suite("README.md and docs/*.md match the commands' --help")
struct DocumentedFlagsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `data inspect` → its visible long flags (`--format`, …); `--help` and `--version` left out.
    static let commands: [String: Set<String>] = {
        struct Info: Decodable {
            struct Command: Decodable {
                struct Argument: Decodable {
                    struct Name: Decodable {
                        var kind: String
                        var name: String
                    }
                    var names: [Name]?
                    var shouldDisplay: Bool
                }
                var commandName: String
                var subcommands: [Command]?
                var arguments: [Argument]?
            }
            var command: Command
        }
        let info = try! JSONDecoder().decode(Info.self, from: Data(ClarifyCoderCommand._dumpHelp().utf8))
        var result: [String: Set<String>] = [:]
        func walk(_ command: Info.Command, path: [String]) {
            let subcommands = command.subcommands ?? []
            if subcommands.isEmpty, !path.isEmpty {
                var flags = Set<String>()
                for argument in command.arguments ?? [] where argument.shouldDisplay {
                    for name in argument.names ?? [] where name.kind == "long" { flags.insert("--" + name.name) }
                }
                result[path.joined(separator: " ")] = flags.subtracting(["--help", "--version"])
            }
            for subcommand in subcommands where subcommand.commandName != "help" {
                walk(subcommand, path: path + [subcommand.commandName])
            }
        }
        walk(info.command, path: [])
        return result
    }()

    static let documents: [(name: String, text: String)] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        let names = ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        return names.map { name in
            (name, (try? String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }
    }()

    @Test("the command tree is read from ArgumentParser, with the flags a user types")
    func treeIsRead() throws {
        #expect(Self.commands["data inspect"]?.contains("--max-line-mib") == true)
        #expect(Self.commands["data inspect"]?.contains("--max-line-mi-b") == false)  // the hidden old spelling
        #expect(Self.commands["eval"]?.contains("--log-samples") == true)
        #expect(Self.commands.keys.contains("pipeline") && Self.commands.count >= 14)
    }

    @Test("every flag the docs show on a command exists on that command")
    func documentedFlagsExist() {
        var wrong: [String] = []
        for document in Self.documents {
            for use in DocumentedUse.find(in: document.text, commands: Set(Self.commands.keys)) {
                for flag in use.flags where Self.commands[use.command]?.contains(flag) != true {
                    wrong.append("\(document.name):\(use.line): `clarifycoder \(use.command)` has no \(flag)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }

    @Test("every flag named in the docs' prose belongs to some command")
    func proseFlagsExist() {
        let all = Self.commands.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        var wrong: [String] = []
        for document in Self.documents {
            for (line, flag) in DocumentedUse.proseFlags(in: document.text) where !all.contains(flag) {
                wrong.append("\(document.name):\(line): no command has \(flag)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }

    @Test("every flag of every command is documented with that command")
    func everyFlagIsDocumented() {
        var missing: [String] = []
        for (command, flags) in Self.commands.sorted(by: { $0.key < $1.key }) {
            // Shown with the command, or in prose of a file that documents the command.
            var documented = Set<String>()
            for document in Self.documents {
                let uses = DocumentedUse.find(in: document.text, commands: Set(Self.commands.keys))
                guard uses.contains(where: { $0.command == command }) else { continue }
                documented.formUnion(uses.filter { $0.command == command }.flatMap(\.flags))
                documented.formUnion(DocumentedUse.proseFlags(in: document.text).map(\.flag))
            }
            for flag in flags.subtracting(documented).sorted() { missing.append("clarifycoder \(command) \(flag)") }
        }
        #expect(missing.isEmpty, "undocumented:\n\(missing.joined(separator: "\n"))")
    }
}
