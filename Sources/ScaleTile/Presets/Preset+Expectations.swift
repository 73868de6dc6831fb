import Foundation
import ScaleTileCore
import ScaleTileSatellite
import ScaleTileMedical

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

extension PresetDocument {
    /// Checks a stack against `input.expect`: channel count, sample type and voxel spacing
    /// (`[x, y]` checks X and Y only, `[x, y, z]` all three), each axis within the relative
    /// tolerance.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` about the stack, quoting where the
    ///   expectation was set (`ct.tif: has a voxel spacing of 0.7 x 0.7 x 2.5 mm, the preset
    ///   expects 0.7 x 0.7 x 1.25 within 10 % (ct.yaml: line 12)`).
    func checkExpectations(of stack: any VoxelSource, source: String) throws {
        let expect = preset.input.expect
        if let bands = expect.bands, stack.channelCount != bands {
            throw ScaleTileError(.invalidInput, source, "has \(stack.channelCount) channel\(stack.channelCount == 1 ? "" : "s"), the preset expects \(bands) (\(location(of: "input.expect.bands")))")
        }
        if let type = expect.dataType, stack.pixelType != type {
            throw ScaleTileError(.invalidInput, source, "has \(stack.pixelType.rawValue) samples, the preset expects \(type.rawValue) (\(location(of: "input.expect.dataType")))")
        }
        if let spacing = expect.spacing {
            let s = stack.spacing
            let actual = Array([s.x, s.y, s.z].prefix(spacing.count))
            let tolerance = expect.spacingTolerance
            if zip(actual, spacing).contains(where: { abs($0 - $1) > tolerance * $1 }) {
                let text = { (values: [Double]) in values.map { String(format: "%g", $0) }.joined(separator: " x ") }
                throw ScaleTileError(.invalidInput, source, "has a voxel spacing of \(text(actual)) \(s.unit), the preset expects \(spacing.map(PresetNumber.text).joined(separator: " x ")) within \(PresetNumber.text(tolerance * 100)) % (\(location(of: "input.expect.spacing")))")
            }
        }
    }
}
