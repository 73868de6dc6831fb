import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite

/// `LevelCascade` (levels summed from the level below) against GDAL resampling every level
/// from full resolution (`LevelDownsampler`, GDAL's `average` RasterIO): the same bits, for
/// every supported sample type (`Byte`, `UInt16`), with and without nodata, with a validity mask, and for strips
/// whose edges cut every level's blocks.
@Suite("Cascaded levels against GDAL's average", .serialized)
struct LevelCascadeTests {
    /// A strip of random samples of `type`, some equal to `nodata`.
    static func strip(_ type: PixelType, width: Int, height: Int, bands: Int, nodata: Double?, seed: UInt64) -> RasterBuffer {
        var random = SeededRandom(seed: seed)
        var buffer = RasterBuffer(pixelType: type, bandCount: bands, size: RasterSize(width: width, height: height))
        let range = type.valueRange
        let count = bands * width * height
        buffer.bytes.withUnsafeMutableBytes { raw in
            func fill<T: FixedWidthInteger>(_: T.Type) {
                let out = raw.bindMemory(to: T.self)
                for i in 0 ..< count {
                    if let nodata, random.next() % 5 == 0 { out[i] = T(nodata); continue }
                    // Many near the range's ends, where a sum would overflow the type.
                    let pick = random.next() % 3
                    let value: Double = pick == 0 ? range.lowerBound + Double(random.next() % 64)
                        : pick == 1 ? range.upperBound - Double(random.next() % 64)
                        : range.lowerBound + Double(random.next() % UInt64(range.upperBound - range.lowerBound + 1))
                    out[i] = T(value)
                }
            }
            switch type {
            case .uint8: fill(UInt8.self)
            case .uint16: fill(UInt16.self)
            default: Issue.record("no fill for \(type)")
            }
        }
        return buffer
    }

    static let types: [PixelType] = [.uint8, .uint16]

    @Test(arguments: types)
    func cascadedLevelsEqualGDALsAverage(_ type: PixelType) throws {
        let levels = [1, 2, 3, 4, 5]
        // 77 × 45: every level's last block is cut by both edges.
        for (nodata, seed) in [(nil, UInt64(1)), (type.valueRange.lowerBound + 3, 2), (type.valueRange.upperBound, 3)] as [(Double?, UInt64)] {
            let pixels = Self.strip(type, width: 77, height: 45, bands: 2, nodata: nodata, seed: seed)
            let rule: [Double?] = [nodata, nodata]
            #expect(LevelCascade.supports(type, nodata: rule, resampling: .average))
            let cascade = LevelCascade(pixelType: type, bandCount: 2, nodata: rule).levels(of: pixels, validity: nil, levels)
            let strip = FullResolutionStrip(pixels: pixels, mask: nil, window: Window(x: 0, y: 0, width: 77, height: 45))
            for result in cascade {
                let gdal = try LevelDownsampler.downsample(strip, to: Level(result.level), nodata: rule, resampling: .average)
                #expect(result.pixels.size == gdal.pixels.size)
                let differing = zip(result.pixels.samples(band: 0) + result.pixels.samples(band: 1),
                                    gdal.pixels.samples(band: 0) + gdal.pixels.samples(band: 1)).filter { $0 != $1 }
                #expect(differing.isEmpty, "\(type) nodata \(String(describing: nodata)) level \(result.level): \(differing.count) pixels differ, e.g. \(differing.prefix(3))")
                #expect(result.mask == nil)
            }
        }
    }

    /// A strip with a validity mask (a GeoTIFF's internal mask): invalid pixels left out, and a
    /// level mask valid where any pixel of the block is, as GDAL's averaged mask says.
    @Test(arguments: [PixelType.uint8, .uint16])
    func maskedPixelsAreLeftOut(_ type: PixelType) throws {
        let pixels = Self.strip(type, width: 70, height: 38, bands: 3, nodata: nil, seed: 7)
        var random = SeededRandom(seed: 8)
        // Whole invalid regions too, so some level blocks have no valid pixel at all.
        let mask = (0 ..< 70 * 38).map { i -> UInt8 in (i % 70) < 20 && i / 70 < 20 ? 0 : (random.next() % 3 == 0 ? 0 : 255) }
        let cascade = LevelCascade(pixelType: type, bandCount: 3, nodata: [nil, nil, nil]).levels(of: pixels, validity: mask, [1, 2, 4])
        let strip = FullResolutionStrip(pixels: pixels, mask: mask, window: Window(x: 0, y: 0, width: 70, height: 38))
        for result in cascade {
            let gdal = try LevelDownsampler.downsample(strip, to: Level(result.level), nodata: [nil, nil, nil], resampling: .average)
            #expect(result.pixels.bytes == gdal.pixels.bytes, "\(type) level \(result.level)")
            #expect(result.mask == gdal.mask, "level \(result.level) validity")
            #expect(result.mask?.contains(0) == true)
        }
    }

    @Test
    func floatsAndOtherResamplingsStayWithGDAL() {
        #expect(!LevelCascade.supports(.float32, nodata: [nil], resampling: .average))
        // GDAL averages these through Float32: cascading them exactly would change their bytes.
        #expect(!LevelCascade.supports(.int16, nodata: [nil], resampling: .average))
        #expect(!LevelCascade.supports(.uint32, nodata: [nil], resampling: .average))
        #expect(!LevelCascade.supports(.uint8, nodata: [nil], resampling: .mode))
        // A nodata value the type cannot hold matches no pixel in GDAL's reading: left to GDAL.
        #expect(!LevelCascade.supports(.uint16, nodata: [-9999], resampling: .average))
        #expect(!LevelCascade.supports(.uint8, nodata: [0.5], resampling: .average))
        #expect(LevelCascade.supports(.uint16, nodata: [0, nil], resampling: .average))
    }
}
