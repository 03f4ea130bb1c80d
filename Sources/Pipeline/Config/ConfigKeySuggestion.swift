/// What an unknown setting key is answered with: the closest known key ("did you mean") and the
/// keys that could have been meant, so a typo in `--set` or a config file is fixed without
/// opening the docs.
extension ConfigField {
    /// The known key closest to `key`: one with the same name in another section (`eval.lr` →
    /// `train.lr`), else the nearest by edit distance when it is near enough to be a typo (at most
    /// a third of the key's length, and at least 2).
    public static func suggestion(for key: String) -> String? {
        let name = key.split(separator: ".").last.map(String.init) ?? key
        if let sameName = all.first(where: { $0.name == name && $0.key != key }) { return sameName.key }
        let scored = all.map { ($0.key, editDistance($0.key, key)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }

    /// `unknown key 'train.stpes'; did you mean 'train.steps'? 'train' takes lr, steps, …` — the
    /// keys of the section the key names, or every key when the section is unknown too.
    public static func unknownKeyMessage(_ key: String) -> String {
        var message = "unknown key '\(key)'"
        if let suggestion = suggestion(for: key) { message += "; did you mean '\(suggestion)'?" }
        let section = key.contains(".") ? String(key.split(separator: ".")[0]) : nil
        if let section, sections.contains(section) {
            message += " '\(section)' takes " + all.filter { $0.section == section }.map(\.name).joined(separator: ", ")
        } else {
            message += " The keys are " + all.map(\.key).joined(separator: ", ")
        }
        return message + " (docs/pipeline.md)"
    }

    /// Levenshtein distance over characters: insertions, deletions and substitutions cost 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
