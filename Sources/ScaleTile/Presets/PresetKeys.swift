/// Key paths of a preset (`tiling.overlap`, `input.paths[1]`) and what to say about unknown ones.
enum PresetKeys {
    /// `input.paths[1]` from a decoder's coding path.
    static func keyPath(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return path
    }

    /// The schema field a key path belongs to: list indices and the keys of open mappings
    /// (`output.creationOptions.COMPRESS`) dropped.
    static func fieldPath(_ keyPath: String) -> String {
        var path = keyPath
        if let bracket = path.firstIndex(of: "[") { path = String(path[..<bracket]) }
        while PresetSchema.field(path) == nil, let dot = path.lastIndex(of: ".") {
            let parent = String(path[..<dot])
            guard PresetSchema.field(parent)?.isOpenMapping == true else { break }
            path = parent
        }
        return path
    }

    /// Whether a `--set` may write at `keyPath`: a field, or a key inside an open mapping.
    static func isSettable(_ keyPath: String) -> Bool {
        if PresetSchema.field(keyPath) != nil { return true }
        guard let dot = keyPath.lastIndex(of: ".") else { return false }
        return PresetSchema.field(String(keyPath[..<dot]))?.isOpenMapping == true
    }

    /// `unknown key 'tilling' (did you mean 'tiling'?)`.
    static func unknownKeyMessage(_ keyPath: String) -> String {
        if PresetSchema.isSection(keyPath) {
            return "'\(keyPath)' is a section: set one of its keys (\(PresetSchema.keys(under: keyPath).map { keyPath + "." + $0 }.joined(separator: ", ")))"
        }
        guard let suggestion = nearestKnownPath(to: keyPath) else { return "unknown key '\(keyPath)'" }
        return "unknown key '\(keyPath)' (did you mean '\(suggestion)'?)"
    }

    /// The known key path closest to a mistyped one: the same path with one key corrected
    /// (`tilling.size` → `tiling.size`), or a field with the same last key placed elsewhere
    /// (`size` → `tiling.size`).
    static func nearestKnownPath(to keyPath: String) -> String? {
        let known = PresetSchema.fields.map(\.path)
        let scored = known.map { ($0, editDistance($0.lowercased(), keyPath.lowercased())) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, keyPath.count / 4) { return best.0 }
        let last = keyPath.split(separator: ".").last.map(String.init) ?? keyPath
        let sameKey = known.filter { $0.split(separator: ".").last.map(String.init)?.lowercased() == last.lowercased() }
        if sameKey.count == 1 { return sameKey[0] }
        // A misspelt section with a correct key, or the other way round.
        let sections = PresetSchema.fields.compactMap { f -> String? in
            f.path.contains(".") ? String(f.path[..<f.path.lastIndex(of: ".")!]) : nil
        }
        let first = keyPath.split(separator: ".").first.map(String.init) ?? keyPath
        if let section = Set(sections).map({ ($0, editDistance($0, first)) }).filter({ $0.1 <= 2 }).min(by: { $0.1 < $1.1 }) {
            return section.0
        }
        return nil
    }

    /// Levenshtein distance between two strings.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
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
