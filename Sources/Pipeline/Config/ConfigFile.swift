import Foundation
import Yams

/// Reading and writing the pipeline's YAML config.
///
/// The file is composed into a node tree (Yams over libyaml) and walked against
/// ``ConfigField/all`` rather than decoded with `Codable`, so an unknown key, a key in the wrong
/// section or a value of the wrong type is an error that names the file, the line and the key —
/// a typo never silently falls back to a default.
public enum ConfigFile {
    /// Applies the settings of the YAML file at `path` on top of `base`.
    public static func load(path: String, over base: PipelineConfig) throws(PipelineError) -> PipelineConfig {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PipelineError.config(path, "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path, over: base)
    }

    /// Applies the settings of a YAML document on top of `base`; `file` names it in errors.
    public static func parse(_ text: String, file: String, over base: PipelineConfig) throws(PipelineError) -> PipelineConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw PipelineError.config(file, "not valid YAML: \(error)")
        }
        guard let root else { return base }
        guard let mapping = root.mapping else {
            throw PipelineError.config(location(file, root), "the file must be a mapping of sections (seed, synthesis, mix, train, eval, report)")
        }
        var config = base
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw PipelineError.config(location(file, keyNode), "a key must be a string") }
            if let field = ConfigField.named(key), field.section == nil {
                try apply(field, node: value, to: &config, at: location(file, value))
                continue
            }
            guard ConfigField.sections.contains(key) else {
                throw PipelineError.config(location(file, keyNode), "unknown key '\(key)'; the sections are seed, \(ConfigField.sections.joined(separator: ", "))")
            }
            guard let entries = value.mapping else {
                throw PipelineError.config(location(file, value), "'\(key)' must be a mapping of settings")
            }
            for (nameNode, setting) in entries {
                guard let name = nameNode.string else { throw PipelineError.config(location(file, nameNode), "a key must be a string") }
                guard let field = ConfigField.named(key + "." + name) else {
                    throw PipelineError.config(location(file, nameNode), ConfigField.unknownKeyMessage(key + "." + name))
                }
                try apply(field, node: setting, to: &config, at: location(file, setting))
            }
        }
        return config
    }

    /// Applies `key=value` overrides (from `--set` and the named flags) in order.
    public static func override(_ config: PipelineConfig, with assignments: [String]) throws(PipelineError) -> PipelineConfig {
        var config = config
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw PipelineError.config("--set \(assignment)", "expected KEY=VALUE, e.g. train.lr=1e-4")
            }
            let key = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
            let raw = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            guard let field = ConfigField.named(key) else {
                throw PipelineError.config("--set \(assignment)", ConfigField.unknownKeyMessage(key))
            }
            let value: ConfigValue
            if field.kind == .list {
                value = raw.isEmpty ? .list([]) : .list(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            } else if field.optional, raw == "null" || raw == "~" || raw.isEmpty {
                value = .null
            } else if let scalar = scalarValue(raw, kind: field.kind) {
                value = scalar
            } else {
                throw PipelineError.config("--set \(assignment)", "'\(key)' expects \(describe(field)), not '\(raw)'")
            }
            field.set(&config, value)
        }
        return config
    }

    static func apply(_ field: ConfigField, node: Node, to config: inout PipelineConfig, at place: String) throws(PipelineError) {
        if let scalar = node.scalar, scalar.style == .plain, ["null", "~", "", "Null", "NULL"].contains(scalar.string) {
            guard field.optional else { throw PipelineError.config(place, "'\(field.key)' cannot be null; it expects \(describe(field))") }
            field.set(&config, .null)
            return
        }
        if field.kind == .list {
            if let sequence = node.sequence {
                var items: [String] = []
                for item in sequence {
                    guard let text = item.scalar?.string else {
                        throw PipelineError.config(place, "'\(field.key)' expects a list of words")
                    }
                    items.append(text)
                }
                field.set(&config, .list(items))
            } else if let text = node.scalar?.string {
                field.set(&config, .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
            } else {
                throw PipelineError.config(place, "'\(field.key)' expects a list of words")
            }
            return
        }
        guard let scalar = node.scalar else { throw PipelineError.config(place, "'\(field.key)' expects \(describe(field))") }
        // A quoted value is a string whatever it looks like: `ratio: "40:60"`, `model: "null"`.
        if field.kind == .string {
            field.set(&config, .string(scalar.string))
            return
        }
        guard scalar.style == .plain, let value = scalarValue(scalar.string, kind: field.kind) else {
            throw PipelineError.config(place, "'\(field.key)' expects \(describe(field)), not '\(scalar.string)'")
        }
        field.set(&config, value)
    }

    static func scalarValue(_ text: String, kind: ConfigField.Kind) -> ConfigValue? {
        switch kind {
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on": return .bool(true)
            case "false", "no", "off": return .bool(false)
            default: return nil
            }
        case .int:
            return Int(text.replacingOccurrences(of: "_", with: "")).map { .int($0) }
        case .double:
            guard let value = Double(text), value.isFinite else { return nil }
            return .double(value)
        case .string:
            return .string(text)
        case .list:
            return .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
    }

    static func describe(_ field: ConfigField) -> String {
        let base: String
        switch field.kind {
        case .bool: base = "true or false"
        case .int: base = "a whole number"
        case .double: base = "a number"
        case .string: base = "a string"
        case .list: base = "a list"
        }
        return field.optional ? base + " or null" : base
    }

    static func location(_ file: String, _ node: Node) -> String {
        node.mark.map { "\(file):\($0.line)" } ?? file
    }
}
