import Foundation
internal import CGDAL
import ScaleTileCore

/// The check a companion raster (a label raster or mask beside a scene) passes before it is
/// read: the scene's size, its geotransform to a millionth of a pixel, and its CRS as GDAL's
/// `OSRIsSame` judges. Weight maps are exempt (they may have any resolution).
///
/// A mismatch is ``ScaleTileError`` `.invalidInput` (exit 65) about the companion, naming the
/// scene's file and both figures: `mask.tif: the label raster is 100x100, the scene
/// scene.tif is 791x718: a label raster must lie on its scene's grid`.
public enum CompanionGrid {
    /// Throws unless `raster` lies on `scene`'s grid.
    ///
    /// - Parameters:
    ///   - path: the companion's path, for the message.
    ///   - role: what the companion is (`label raster`, `mask`).
    public static func check(_ raster: Dataset, path: String, role: String, against scene: SceneGeometry) throws {
        let sceneName = scene.fileName.map { "the scene \($0)" } ?? "the scene"
        let rule = "a \(role) must lie on its scene's grid (same size, geotransform and CRS)"
        guard raster.size.width == scene.size.width, raster.size.height == scene.size.height else {
            throw ScaleTileError(.invalidInput, path, "the \(role) is \(raster.size), \(sceneName) is \(scene.size): \(rule)")
        }
        switch (raster.geoTransform, scene.geoTransform) {
        case let (a?, b?):
            // Coefficients compared in pixels of the scene: the origin by the pixel size, the
            // pixel size and rotation terms relative to it.
            let pixel = Swift.max(abs(b.pixelWidth), abs(b.pixelHeight))
            let differs = zip(a.coefficients, b.coefficients).contains { abs($0 - $1) > 1e-6 * pixel }
            if differs {
                let show = { (t: GeoTransform) in t.coefficients.map { String($0) }.joined(separator: ", ") }
                throw ScaleTileError(.invalidInput, path, "the \(role)'s geotransform (\(show(a))) is not \(sceneName)'s (\(show(b))): \(rule)")
            }
        case (nil, _?), (_?, nil):
            let which = raster.geoTransform == nil ? "the \(role) has no geotransform, \(sceneName) has one" : "the \(role) has a geotransform, \(sceneName) has none"
            throw ScaleTileError(.invalidInput, path, "\(which): \(rule)")
        case (nil, nil):
            break
        }
        switch (raster.spatialReference, scene.spatialReference) {
        case let (a?, b?):
            guard a.isSame(as: b) else {
                throw ScaleTileError(.invalidInput, path, "the \(role)'s CRS (\(a.shortNameForMessages)) is not \(sceneName)'s (\(b.shortNameForMessages)): \(rule)")
            }
        case (nil, _?), (_?, nil):
            let which = raster.spatialReference == nil ? "the \(role) has no CRS, \(sceneName) has one" : "the \(role) has a CRS, \(sceneName) has none"
            throw ScaleTileError(.invalidInput, path, "\(which): \(rule)")
        case (nil, nil):
            break
        }
    }
}

extension SpatialReference {
    /// Whether GDAL's `OSRIsSame` takes the two for the same CRS (axis order as the data use it).
    public func isSame(as other: SpatialReference) -> Bool {
        if let a = epsg, let b = other.epsg, a == b { return true }
        GDALRuntime.ensureConfigured()
        guard let first = OSRNewSpatialReference(wkt) else { return wkt == other.wkt }
        defer { OSRDestroySpatialReference(first) }
        guard let second = OSRNewSpatialReference(other.wkt) else { return wkt == other.wkt }
        defer { OSRDestroySpatialReference(second) }
        return OSRIsSame(first, second) != 0
    }
}
