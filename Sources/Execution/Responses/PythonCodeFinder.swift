import Foundation
import Sandbox

/// Finds the parseable Python in free text, by asking Python's own parser.
///
/// Why the real parser and not a Swift heuristic: telling "code" from "prose that mentions code"
/// is exactly where heuristics fail (`Sure, the function returns x` vs `return x`), and the strict
/// question detector is only worth reporting if its notion of code is right. `ast.parse` also
/// accepts what a completion looks like — an indented body, a top-level `return` — once dedented.
/// All texts of a batch go through one sandboxed process (~50 ms), so the cost is negligible
/// beside model generation. The parser runs on untrusted text, so it runs in the sandbox too.
///
/// For each text: every line that could start code (`def`, `class`, `import`, an assignment, a
/// control-flow keyword, an indented line, …) is tried as the start of a region, and the longest
/// run of lines from there that parses *and* holds a real statement (not a lone name or constant,
/// which any one-word sentence would be) is taken; the search goes on after it.
struct PythonCodeFinder: Sendable {
    let pool: SandboxPool

    struct Region: Codable, Sendable, Hashable {
        var code: String
        var firstLine: Int
        var lineCount: Int
        /// Names of the top-level functions the region defines.
        var functions: [String]
    }

    enum FinderError: Error, CustomStringConvertible {
        case failed(String)
        var description: String {
            switch self {
            case .failed(let why): "the Python code finder failed: \(why)"
            }
        }
    }

    func regions(in texts: [String]) async throws -> [[Region]] {
        if texts.isEmpty { return [] }
        let input = String(decoding: try JSONEncoder().encode(texts), as: UTF8.self)
        var limits = pool.sandbox.configuration.limits
        limits.wallClockSeconds = 30 + Double(texts.count) * 0.2
        limits.cpuSeconds = Int(limits.wallClockSeconds)
        limits.outputBytes = 64 << 20
        let result = await pool.run(SandboxProgram(source: Self.script, files: ["texts.json": input]), limits: limits)
        guard result.verdict == .passed, let data = result.stdout.data(using: .utf8),
            let regions = try? JSONDecoder().decode([[Region]].self, from: data), regions.count == texts.count
        else {
            throw FinderError.failed(
                "\(result.verdict.rawValue) \(result.sandboxMessage ?? "") \(result.stderr.suffix(500))")
        }
        return regions
    }

    static let script = #"""
        import ast, json, os, re, sys, textwrap, warnings
        warnings.simplefilter('ignore')
        sys.setrecursionlimit(2000)

        START = re.compile(
            r'^\s*(def |async def |class |import |from \S+ import |@\w|return\b|if |elif |else\s*:|for |while |with |'
            r'try\s*:|except\b|raise\b|assert |print\(|[A-Za-z_][\w.\[\]\'", ]*\s*[-+*/%|&]?=[^=]|'
            r'[A-Za-z_][\w.]*\(.*\)\s*$|\s+\S)')
        REAL = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Assign,
                ast.AugAssign, ast.AnnAssign, ast.For, ast.While, ast.If, ast.With, ast.Try, ast.Return, ast.Raise,
                ast.Assert, ast.Delete)

        def parses(lines):
            """(function names, None) when the lines parse into real code, else (None, a shorter length
            worth trying next): a syntax error at line L means no prefix reaching L parses."""
            source = textwrap.dedent('\n'.join(lines))
            try:
                tree = ast.parse(source)
            except SyntaxError as error:
                line = error.lineno or len(lines)
                return None, min(len(lines) - 1, max(line - 1, 0)) if line > 1 else len(lines) - 1
            except (ValueError, MemoryError, RecursionError):
                return None, len(lines) - 1
            real = [n for n in tree.body
                    if isinstance(n, REAL) or (isinstance(n, ast.Expr) and isinstance(n.value, ast.Call))]
            if not real:
                return None, len(lines) - 1
            return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))], None

        def regions(text):
            lines = text.split('\n')
            found, i = [], 0
            while i < len(lines):
                if not START.match(lines[i]):
                    i += 1
                    continue
                best, end = None, len(lines)
                while end > i:
                    if not lines[end - 1].strip():
                        end -= 1
                        continue
                    functions, shorter = parses(lines[i:end])
                    if functions is not None:
                        best = (end, functions)
                        break
                    end = i + shorter
                if best is None:
                    i += 1
                    continue
                end, functions = best
                code = textwrap.dedent('\n'.join(lines[i:end]))
                found.append({'code': code, 'firstLine': i, 'lineCount': end - i, 'functions': functions})
                i = end
            return found

        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, 'texts.json'), encoding='utf-8') as handle:
            texts = json.load(handle)
        json.dump([regions(text) for text in texts], sys.stdout)
        """#
}
