/// The nearest of some known names to a mistyped one, for "did you mean" hints (preset keys,
/// subcommands).
public enum Spelling {
    /// The known name within `maximumDistance` edits of `name` (case ignored), the closest first;
    /// nil when none is that close.
    public static func nearest(to name: String, among known: [String], maximumDistance: Int = 2) -> String? {
        let scored = known.map { ($0, PresetKeys.editDistance($0.lowercased(), name.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= maximumDistance else { return nil }
        return best.0
    }
}
