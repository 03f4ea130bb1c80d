import Foundation

/// A piece of real Python code that inspires one generated problem (OSS-Instruct's "seed"): a
/// function, a class's opening, or a run of doctest examples, with where it came from.
public struct SeedSnippet: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case function, `class`, docExample = "doc_example"
    }

    /// The file, relative to the seed folder (`collections/__init__.py`).
    public var file: String
    /// 1-based line where the snippet starts.
    public var line: Int
    public var kind: Kind
    /// The function or class name; for doc examples, the enclosing definition's name if any.
    public var name: String
    public var code: String

    /// A documented module-level function or a run of doctest examples: the seeds whose idea a small
    /// model picks up most reliably, drawn before the others. Methods are not preferred: their idea
    /// lives in their class (the first run's methods became servers, `tzinfo` subclasses, `is_prime`).
    public var isPreferred: Bool {
        switch kind {
        case .docExample: true
        case .function: (code.contains("\"\"\"") || code.contains("'''")) && !isMethod
        case .class: false
        }
    }

    /// A `def` whose first parameter is `self` or `cls`.
    var isMethod: Bool {
        guard kind == .function, let open = code.firstIndex(of: "(") else { return false }
        let parameters = code[code.index(after: open)...].drop { $0 == " " || $0 == "\n" }
        return ["self", "cls"].contains { name in
            parameters.hasPrefix(name) && parameters.dropFirst(name.count).first.map { ",):".contains($0) } == true
        }
    }

    /// The module the snippet belongs to (`collections`, `email`, `textwrap`): the file's first
    /// path component without `.py`, used as its topic in the spread report.
    public var module: String {
        let first = file.split(separator: "/").first.map(String.init) ?? file
        return first.hasSuffix(".py") ? String(first.dropLast(3)) : first
    }
}

/// Finds seed snippets in a folder of Python sources, in a fixed order, so that a seed and an item
/// index always name the same snippet (which is what makes a run resumable).
public struct SeedCorpus: Sendable {
    /// Every snippet found, sorted by file then line.
    public let snippets: [SeedSnippet]
    /// `.py` files read.
    public let filesRead: Int
    /// Files that could not be read or decoded, with the reason (counted in the manifest).
    public let unreadable: [String: String]

    /// Folders never entered: test suites (mostly assertions about the library, not library code),
    /// third-party installs and the GUI toolkits.
    static let skippedFolders: Set<String> = [
        "test", "tests", "site-packages", "dist-packages", "idlelib", "tkinter", "turtledemo", "__pycache__",
        "lib2to3", "ensurepip", "venv",
    ]

    /// Snippets are cut at this many lines: the model needs the idea, not the whole class, and a
    /// small model given 40 lines drifted away from them (BENCHMARKS.md, "Generated problems").
    static let maxLines = 24
    /// Shorter definitions carry too little to build a problem on.
    static let minLines = 3

    /// The system Python's standard library folder, asked of `python3` at run time.
    public static func standardLibraryFolder() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ProblemGenerationError("cannot run python3 to find the standard library (\(error)); pass --seeds DIR")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !path.isEmpty else {
            throw ProblemGenerationError("python3 did not say where its standard library is; pass --seeds DIR")
        }
        return path
    }

    /// Reads every `.py` file under `folder` (symbolic links not followed).
    public init(folder: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ProblemGenerationError("--seeds \(folder): no such folder")
        }
        var files: [String] = []
        Self.collect(folder: folder, relative: "", into: &files)
        var snippets: [SeedSnippet] = []
        var unreadable: [String: String] = [:]
        var read = 0
        for relative in files.sorted() {
            guard let data = FileManager.default.contents(atPath: folder + "/" + relative) else {
                unreadable[relative] = "cannot be read"
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                unreadable[relative] = "not UTF-8"
                continue
            }
            read += 1
            snippets += Self.snippets(in: text, file: relative)
        }
        self.snippets = snippets
        self.filesRead = read
        self.unreadable = unreadable
    }

    private static func collect(folder: String, relative: String, into files: inout [String]) {
        let path = relative.isEmpty ? folder : folder + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            let child = relative.isEmpty ? name : relative + "/" + name
            let full = folder + "/" + child
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: full) else {
                if name.hasSuffix(".py") { files.append(child) }  // reported as unreadable
                continue
            }
            let type = attributes[.type] as? FileAttributeType
            if type == .typeDirectory {
                if !skippedFolders.contains(name) { collect(folder: folder, relative: child, into: &files) }
            } else if type == .typeRegular, name.hasSuffix(".py") {
                files.append(child)
            }
        }
    }

    /// The definitions (`def`, `class`, at any depth) and doctest runs of one file.
    static func snippets(in text: String, file: String) -> [SeedSnippet] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result: [SeedSnippet] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if let found = definition(body) {
                let (kind, name) = found
                var end = index + 1
                while end < lines.count {
                    let next = lines[end]
                    let trimmed = next.trimmingCharacters(in: .whitespaces)
                    if !trimmed.isEmpty, !trimmed.hasPrefix("#"), next.prefix(while: { $0 == " " }).count <= indent,
                        !trimmed.hasPrefix(")"), !trimmed.hasPrefix("]")
                    {
                        break
                    }
                    end += 1
                }
                let chunk = lines[index..<min(end, index + maxLines)].map { line in
                    String(line.dropFirst(min(indent, line.prefix { $0 == " " }.count)))
                }
                let code = chunk.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if chunk.count >= minLines, !name.hasPrefix("_") {
                    result.append(SeedSnippet(file: file, line: index + 1, kind: kind, name: name, code: code))
                }
            } else if body.hasPrefix(">>> ") {
                var end = index
                while end < lines.count, !lines[end].trimmingCharacters(in: .whitespaces).isEmpty,
                    !lines[end].contains("\"\"\""), end - index < maxLines
                {
                    end += 1
                }
                let chunk = lines[index..<end].map { $0.trimmingCharacters(in: .whitespaces) }
                if chunk.count >= 2 {
                    result.append(
                        SeedSnippet(
                            file: file, line: index + 1, kind: .docExample, name: enclosingName(lines, before: index),
                            code: chunk.joined(separator: "\n")))
                }
                index = max(end, index + 1)
                continue
            }
            index += 1
        }
        return result
    }

    /// `def name(` / `async def name(` / `class Name` at the start of a stripped line.
    static func definition(_ line: Substring) -> (kind: SeedSnippet.Kind, name: String)? {
        for (prefix, kind) in [("def ", SeedSnippet.Kind.function), ("async def ", .function), ("class ", .class)]
        where line.hasPrefix(prefix) {
            let name = line.dropFirst(prefix.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty { return (kind, String(name)) }
        }
        return nil
    }

    private static func enclosingName(_ lines: [String], before index: Int) -> String {
        for line in lines[..<index].reversed() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let name = definition(Substring(trimmed))?.name { return name }
        }
        return ""
    }
}
