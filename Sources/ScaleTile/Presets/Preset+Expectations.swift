import Foundation
import ScaleTileCore
import ScaleTileGDAL

extension PresetDocument {
    /// Checks a scene against `input.expect`: band count, sample type and pixel size.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` about the scene, quoting where the
    ///   expectation was set (`scene.tif: has 3 bands, the preset expects 4 (preset.yaml: line 9)`).
    func checkExpectations(of dataset: Dataset, source: String) throws {
        let expect = preset.input.expect
        if let bands = expect.bands, dataset.bandCount != bands {
            throw ScaleTileError(.invalidInput, source, "has \(dataset.bandCount) band\(dataset.bandCount == 1 ? "" : "s"), the preset expects \(bands) (\(location(of: "input.expect.bands")))")
        }
        if let type = expect.dataType {
            for band in dataset.bands where band.pixelType != type {
                throw ScaleTileError(.invalidInput, source, "band \(band.number) is \(band.dataTypeName), the preset expects \(type.rawValue) (\(location(of: "input.expect.dataType")))")
            }
        }
        if let spacing = expect.spacing {
            let expected = "\(PresetNumber.text(spacing[0])) x \(PresetNumber.text(spacing[1]))"
            guard let gt = dataset.geoTransform else {
                throw ScaleTileError(.invalidInput, source, "has no geotransform, the preset expects a pixel size of \(expected) (\(location(of: "input.expect.spacing")))")
            }
            let actual = [abs(gt.pixelWidth), abs(gt.pixelHeight)]
            let tolerance = expect.spacingTolerance
            for (a, e) in zip(actual, spacing.prefix(2)) where abs(a - e) > tolerance * e {
                throw ScaleTileError(.invalidInput, source, "has a pixel size of \(String(format: "%g x %g", actual[0], actual[1])), the preset expects \(expected) within \(PresetNumber.text(tolerance * 100)) % (\(location(of: "input.expect.spacing")))")
            }
        }
    }
}
