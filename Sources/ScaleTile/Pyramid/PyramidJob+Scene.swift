import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// A scene's pyramid: level ℓ (ℓ ≥ 1) is written to `levels/<stem>_L<ℓ>.tif`, a grid of
/// ceil(W/2^ℓ) × ceil(H/2^ℓ) pixels with the scene's origin and a pixel 2^ℓ times larger, each
/// pixel resampled by GDAL from exactly its 2^ℓ × 2^ℓ block of full-resolution pixels (nodata
/// left out).
extension PyramidJob {
    /// A scene's levels, one GeoTIFF each, built in one streaming pass.
    func buildScene(progress: (any ProgressObserver)?) throws -> PyramidSummary {
        let dataset = try Dataset(opening: source)
        try dataset.verifyBlocksPresent()
        let size = dataset.size
        let built = try levelsAboveZero(for: size, levelZero: "the scene")
        let bands = Array(1...dataset.bandCount)
        let selected = try bands.map { try dataset.band($0) }
        guard let pixelType = selected[0].pixelType else {
            throw ScaleTileError(.unsupported, source, "band 1 is \(selected[0].dataTypeName), which ScaleTile does not resample")
        }
        let nodata = try NodataDefinition(dataset: dataset, bands: bands)
        let folder = try OutputFolder.prepare(output, existing: options.existingOutput)
        try folder.makeFolder("levels")
        let stem = FileNames.stem(of: source)
        let targets = built.map { PyramidBuilder.Target(level: Level($0), path: folder.file(Self.relativePath(stem: stem, level: $0))) }
            .filter { !(options.existingOutput == .resume && FileManager.default.fileExists(atPath: $0.path)) }
        let builder = PyramidBuilder(
            source: source, bands: bands, pixelType: pixelType, nodata: nodata, resampling: options.resampling,
            targets: targets, geoTransform: dataset.geoTransform, spatialReference: dataset.spatialReference,
            colorInterpretations: selected.map(\.colorInterpretation), creationOptions: options.creationOptions)
        try builder.build(progress: progress)

        let gt = dataset.geoTransform
        let entries = built.map { number -> ManifestEntry in
            ManifestEntry(
                id: "\(stem)_L\(number)", path: Self.relativePath(stem: stem, level: number), level: number,
                window: ManifestWindow(Window(size: size), volumetric: false), source: source,
                bounds: gt?.bounds(width: size.width, height: size.height),
                crs: dataset.spatialReference?.shortName, reason: .grid)
        }
        try folder.writeManifest(entries)
        let summary = PyramidSummary(
            source: source, sceneSize: [size.width, size.height], resampling: options.resampling.rawValue,
            levels: ([0] + built).map { number in
                let level = Level(number)
                let s = level.size(of: size)
                return PyramidSummary.LevelFile(
                    level: number, scale: level.scale, size: [s.width, s.height],
                    pixelSize: gt.map { [$0.pixelWidth * Double(level.factor), $0.pixelHeight * Double(level.factor)] },
                    path: number == 0 ? source : Self.relativePath(stem: stem, level: number),
                    fromSourceFile: number == 0)
            })
        try folder.writeDocument(summary, to: "summary.json")
        return summary
    }

    /// `levels/<stem>_L<ℓ>.tif`.
    static func relativePath(stem: String, level: Int) -> String { "levels/\(stem)_L\(level).tif" }
}
