/// Plans of regular grids over one or several pyramid levels (no pixel I/O).
public enum GridPlanner {
    /// Grid windows of every level, level by level, each level's grid in row-major order.
    ///
    /// At level ℓ the grid is laid over the level's own pixels (ceil(W/2^ℓ) × ceil(H/2^ℓ)) with
    /// the same tile size and overlap in level pixels; windows are reported in level-0 pixels.
    /// Depth is downsampled only by levels that scale depth.
    ///
    /// - Parameters:
    ///   - stem: the input's sanitised name, which starts every id.
    ///   - volumetric: ids carry the z origin (stacks).
    public static func plan(rasterSize: RasterSize, tile: RasterSize, overlap: RasterSize, edge: EdgePolicy,
                            levels: [Level], stem: String, volumetric: Bool = false) throws -> [PlannedWindow] {
        var plan: [PlannedWindow] = []
        for level in levels {
            let grid = try TileGrid(size: level.size(of: rasterSize), tile: tile, overlap: overlap, edge: edge)
            for w in grid.windows {
                let base = level.baseWindow(of: w)
                plan.append(PlannedWindow(id: windowID(stem: stem, level: level.index, window: base, volumetric: volumetric),
                                          level: level.index, window: base, reason: .grid))
            }
        }
        return plan
    }

    /// `<stem>_L<ℓ>_x<x>_y<y>[_z<z>]`, coordinates of the level-0 origin, zero-padded so names sort.
    public static func windowID(stem: String, level: Int, window: Window, volumetric: Bool) -> String {
        var id = "\(stem)_L\(level)_x\(padded(window.x))_y\(padded(window.y))"
        if volumetric { id += "_z\(padded(window.z, width: 4))" }
        return id
    }

    static func padded(_ value: Int, width: Int = 6) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Names that come from inputs, presets or labels, made safe as file names.
public enum FileNames {
    /// Keeps letters, digits, `.`, `-` and `_`; anything else (separators, `..`, spaces) becomes `_`.
    public static func sanitized(_ name: String) -> String {
        var result = String(name.unicodeScalars.map { scalar -> Character in
            let ok = (scalar.value < 128) && (CharacterSetASCII.isAlphanumeric(scalar) || scalar == "." || scalar == "-" || scalar == "_")
            return ok ? Character(scalar) : "_"
        })
        while result.hasPrefix(".") { result.removeFirst() }
        return result.isEmpty ? "input" : result
    }

    /// The sanitised stem of a path: file name without its raster extension(s).
    public static func stem(of path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        for ext in [".nii.gz", ".nii", ".nrrd", ".nhdr", ".ome.tiff", ".ome.tif", ".tiff", ".tif", ".vrt", ".png", ".jpg", ".jpeg", ".jp2", ".img", ".nc", ".hdf", ".h5"]
        where name.lowercased().hasSuffix(ext) && name.count > ext.count {
            name.removeLast(ext.count)
            break
        }
        return sanitized(name)
    }
}

private enum CharacterSetASCII {
    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
    }
}
