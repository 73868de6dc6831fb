import ScaleTileCore
import ScaleTileMedical

/// Which reader an input needs: one command line for scenes and stacks (DESIGN.md §2,
/// "Scene or stack").
public enum SourceKind {
    /// `override` when given (`--as scene|stack`); else a TIFF the rule calls a stack is one,
    /// and everything else — other formats, GDAL connection strings — is a scene.
    ///
    /// - Throws: ``ScaleTileCore/ScaleTileError`` `.notFound` for a missing local file.
    public static func of(_ path: String, as override: TIFFKind? = nil) throws -> TIFFKind {
        if let override { return override }
        if DatasetName.isVirtual(path) { return .scene }
        return try TIFFStack.classify(path: path)
    }
}
