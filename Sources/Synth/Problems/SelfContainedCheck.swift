import Foundation

/// The static check that a generated problem needs nothing but computation: no network, no files,
/// no processes, no third-party packages, no randomness or clock (tests must give one answer).
///
/// It reads `import` lines and looks for calls that reach outside; it is a filter for training
/// data, not a security boundary (the sandbox is that).
public enum SelfContainedCheck {
    /// Standard-library modules that only compute.
    static let allowedModules: Set<String> = [
        "abc", "array", "bisect", "calendar", "cmath", "collections", "copy", "dataclasses", "datetime", "decimal",
        "difflib", "enum", "fractions", "functools", "heapq", "itertools", "json", "keyword", "math", "numbers",
        "operator", "re", "statistics", "string", "textwrap", "typing", "unicodedata", "__future__", "binascii",
        "base64", "hashlib", "zlib", "colorsys", "graphlib", "html", "ipaddress", "shlex", "struct", "types",
        "fnmatch", "posixpath", "ntpath", "urllib.parse", "csv", "io", "pprint", "reprlib", "codecs", "contextlib",
        "string.templatelib", "typing_extensions",
    ]

    /// Calls that read, write, wait or reach outside the process.
    static let forbiddenCalls = [
        "open(", "input(", "exec(", "eval(", "__import__(", "compile(", "breakpoint(", "globals(", "exit(",
        "quit(", "time.sleep(", "time.time(", "datetime.now(", "date.today(", "datetime.today(", "random.", "os.", "sys.", "socket.", "subprocess.", "shutil.", "pathlib.",
    ]

    /// The reason the source is not self-contained, or `nil` when it is.
    public static func violation(in source: String) -> String? {
        for raw in source.split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            for module in importedModules(trimmed) where !isAllowed(module) {
                return "imports \(module)"
            }
        }
        let code = stripStrings(source)
        for call in forbiddenCalls where containsCall(code, call) {
            return "uses \(call.hasSuffix("(") ? String(call.dropLast()) + "()" : String(call.dropLast()))"
        }
        return nil
    }

    static func isAllowed(_ module: String) -> Bool {
        if module.hasPrefix("urllib") { return module == "urllib.parse" }
        let top = String(module.split(separator: ".").first ?? "")
        return allowedModules.contains(module) || allowedModules.contains(top)
    }

    /// `import a, b.c as d` → [a, b.c]; `from x.y import z` → [x.y]; relative imports → ["."].
    static func importedModules(_ line: String) -> [String] {
        if line.hasPrefix("import ") {
            return line.dropFirst(7).split(separator: ",").compactMap {
                $0.split(separator: " ").first.map(String.init)
            }
        }
        if line.hasPrefix("from ") {
            let module = line.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
            return [module.hasPrefix(".") ? "." : module]
        }
        return []
    }

    /// A call at a word boundary: `reopen(` is not `open(`, `self.os.x` is not `os.`.
    static func containsCall(_ code: String, _ call: String) -> Bool {
        var searchStart = code.startIndex
        while let range = code.range(of: call, range: searchStart..<code.endIndex) {
            if range.lowerBound == code.startIndex { return true }
            let before = code[code.index(before: range.lowerBound)]
            if !(before.isLetter || before.isNumber || before == "_" || before == ".") { return true }
            searchStart = range.upperBound
        }
        return false
    }

    /// The source with comments dropped and the contents of string literals blanked, so a docstring's "open(" does not count.
    static func stripStrings(_ source: String) -> String {
        var result = ""
        var quote: String?
        var index = source.startIndex
        while index < source.endIndex {
            let rest = source[index...]
            if let open = quote {
                if rest.hasPrefix("\\") {
                    index = source.index(index, offsetBy: 2, limitedBy: source.endIndex) ?? source.endIndex
                    continue
                }
                if rest.hasPrefix(open) {
                    result += open
                    index = source.index(index, offsetBy: open.count)
                    quote = nil
                    continue
                }
                index = source.index(after: index)
                continue
            }
            if rest.hasPrefix("#") {
                // A comment, to the end of the line (its apostrophes open no string).
                index = rest.firstIndex(of: "\n") ?? source.endIndex
                continue
            }
            if let open = ["\"\"\"", "'''", "\"", "'"].first(where: { rest.hasPrefix($0) }) {
                quote = open
                result += open
                index = source.index(index, offsetBy: open.count)
                continue
            }
            result.append(source[index])
            index = source.index(after: index)
        }
        return result
    }
}
