/// The ScaleTile release, printed by `scaletile --version` and written into summaries.
public enum ScaleTileVersion {
    public static let string = "0.1.0"
}
