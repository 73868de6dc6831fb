import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// `Dataset` windowed reads, at every level, against pixels GDAL's command-line tools cut out
/// (`gdal_translate -srcwin`, `-ovr`, `-b mask`) and against 2^ℓ block means computed here.
@Suite("Dataset reads against GDAL's tools", .serialized,
       .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct DatasetReadTruthTests {
    static let rgb = "satellite/landsat/RGB.byte.tif"                                   // 791x718 Byte x3, strips, nodata 0
    static let uint16 = "satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif"  // 1024² UInt16 x3, 256-px blocks
    static let float32 = "satellite/derived/LC08_L1TP_224077_20200518_B2_60m_float32_nan.tif"    // 1003x758 Float32, nodata NaN
    static let float64 = "satellite/landsat/LE07_L2SP_225078_20110306_02_T1_B1.tif"    // 168² Float64, nodata 32768
    static let cog = "satellite/aerial/cogeo.tif"                                       // 1024² Byte x3, overviews 512…16
    static let oddOverviews = "satellite/derived/RGB.byte_bigtiff_tiled_ovr.tif"        // 791x718 with gdaladdo overviews 396x359…

    /// A window of a shared-data file and the bands to read, in output order.
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let window: Window
        let bands: [Int]
        var testDescription: String { "\(URL(fileURLWithPath: file).lastPathComponent) \(window) bands \(bands)" }
    }

    // MARK: - Level 0

    static let baseCases = [
        Case(file: rgb, window: Window(x: 100, y: 37, width: 300, height: 211), bands: [3, 1, 2]),
        Case(file: uint16, window: Window(x: 250, y: 500, width: 300, height: 270), bands: [1, 2, 3]),   // across 256-px blocks
        Case(file: float32, window: Window(x: 0, y: 600, width: 400, height: 158), bands: [1]),         // NaN collar, bottom edge
        Case(file: float64, window: Window(x: 3, y: 5, width: 160, height: 150), bands: [1]),
    ]

    /// Level 0 is GDAL's pixels byte for byte: the buffer is the concatenation of what
    /// `gdal_translate -srcwin -b N -of ENVI` writes for each band.
    @Test(arguments: baseCases)
    func levelZeroIsGDALTranslateByteForByte(_ c: Case) throws {
        let scratch = TemporaryFolder()
        let path = SharedData.path(c.file)
        let buffer = try Dataset(opening: path).read(c.window, bands: c.bands)
        #expect(buffer.bandCount == c.bands.count)
        #expect(buffer.size == RasterSize(width: c.window.width, height: c.window.height))
        var truth = Data()
        for b in c.bands { truth += try GDALRaw.bytes(path, c.window, band: "\(b)", scratch: scratch) }
        #expect(truth.count == buffer.bytes.count)
        #expect(differingBytes(buffer.bytes, truth) == 0, "the pixels of \(c.file) \(c.window) differ from gdal_translate's")
    }

    /// A window hanging over the right and bottom edges: inside, GDAL's pixels; outside, `fill`.
    @Test func windowOverTheEdgeIsGDALInsideAndFillOutside() throws {
        let scratch = TemporaryFolder()
        let path = SharedData.path(Self.float64)
        let window = Window(x: 150, y: 160, width: 40, height: 20)    // the file is 168 x 168
        let buffer = try Dataset(opening: path).read(window, bands: [1], fill: -1)
        let inside = Window(x: 150, y: 160, width: 18, height: 8)
        let truth = try GDALRaw.values(path, inside, band: "1", scratch: scratch)
        let got = buffer.samples(band: 0)
        var outside = 0, wrong = 0
        for y in 0..<window.height {
            for x in 0..<window.width {
                let v = got[y * window.width + x]
                if x < inside.width, y < inside.height {
                    if !Self.same(v, truth[y * inside.width + x]) { wrong += 1 }
                } else {
                    if v != -1 { wrong += 1 }
                    outside += 1
                }
            }
        }
        #expect(wrong == 0)
        #expect(outside == 40 * 20 - 18 * 8)
    }

    /// Equal samples, NaN equal to NaN.
    static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    // MARK: - Levels 1–3: exact block means

    /// A level read checked against block means of the full-resolution pixels.
    struct LevelCase: Sendable, CustomTestStringConvertible {
        let file: String
        let window: Window
        let bands: [Int]
        /// How a full-resolution pixel is judged valid: by each band's nodata value, or by the mask band.
        let byMask: Bool
        var testDescription: String { "\(URL(fileURLWithPath: file).lastPathComponent) \(window)\(byMask ? " (mask)" : "")" }
    }

    static let levelCases = [
        // Right and bottom edges inside the window: the last blocks are clipped (791 = 98·8 + 7).
        LevelCase(file: rgb, window: Window(x: 601, y: 505, width: 200, height: 220), bands: [1, 2, 3], byMask: false),
        // A window not on block corners: the level window is rounded outward.
        LevelCase(file: uint16, window: Window(x: 130, y: 70, width: 500, height: 300), bands: [2, 3], byMask: false),
        LevelCase(file: float32, window: Window(x: 700, y: 500, width: 303, height: 258), bands: [1], byMask: false),
        LevelCase(file: float64, window: Window(x: 0, y: 0, width: 168, height: 168), bands: [1], byMask: false),
    ]

    /// Levels 1–3 read from the full-resolution pixels (overviews ignored) are the block means.
    @Test(arguments: levelCases, [1, 2, 3])
    func levelIsTheExactBlockMean(_ c: LevelCase, _ level: Int) throws {
        try checkBlockMeans(path: SharedData.path(c.file), window: c.window, bands: c.bands, level: Level(level),
                            byMask: c.byMask, overviews: .ignored)
    }

    /// Masked pixels (an internal GeoTIFF mask, no nodata value) are left out of level averages,
    /// and a level pixel is invalid only when its whole block is.
    @Test(arguments: [1, 2, 3])
    func maskedPixelsAreLeftOutOfLevels(_ level: Int) throws {
        let scratch = TemporaryFolder()
        let fixture = try Self.maskedFixture(in: scratch)
        let window = Window(x: 560, y: 440, width: 231, height: 278)
        try checkBlockMeans(path: fixture, window: window, bands: [1, 3], level: Level(level), byMask: true, overviews: .ignored)
        // The level's validity (NodataDefinition over the mask) against the blocks' mask pixels.
        let dataset = try Dataset(opening: fixture, overviews: .ignored)
        let rule = try NodataDefinition(dataset: dataset, bands: [1, 3])
        #expect(rule.source == .maskBand)
        let buffer = try dataset.read(window, level: Level(level), bands: [1, 3])
        let validity = try rule.validity(of: buffer, window: window, level: Level(level), dataset: dataset)
        let l = Level(level)
        let levelWindow = l.window(fromBase: window)
        let region = try #require(l.baseWindow(of: levelWindow).intersection(Window(size: dataset.size)))
        let mask = try GDALRaw.values(fixture, region, band: "mask", scratch: scratch)
        let blocks = BlockMeans(base: mask, region: region, factor: l.factor) { mask[$0] != 0 }
        #expect(validity.count == levelWindow.width * levelWindow.height)
        var mismatches = 0, invalid = 0
        for y in 0..<levelWindow.height {
            for x in 0..<levelWindow.width {
                let expected = x < blocks.width && y < blocks.height && blocks.means[y * blocks.width + x] != nil
                if validity[y * levelWindow.width + x] != expected { mismatches += 1 }
                if !expected { invalid += 1 }
            }
        }
        #expect(mismatches == 0)
        #expect(invalid > 0, "the window must hold wholly masked blocks for this test to mean anything")
    }

    /// RGB.byte.tif with its nodata turned into an internal mask (`gdal_translate -mask 1 -a_nodata none`).
    static func maskedFixture(in scratch: TemporaryFolder) throws -> String {
        let out = scratch.file("masked.tif")
        try GDALRaw.run("gdal_translate", ["-q", "-a_nodata", "none", "-mask", "1", "--config", "GDAL_TIFF_INTERNAL_MASK", "YES",
                                           "-co", "TILED=YES", SharedData.path(rgb), out])
        return out
    }

    /// Reads `window` at `level` and compares every level pixel with the mean of the valid
    /// full-resolution pixels of its block, read by gdal_translate; integers may round either way.
    func checkBlockMeans(path: String, window: Window, bands: [Int], level: Level, byMask: Bool,
                         overviews: Dataset.OverviewAccess) throws {
        let scratch = TemporaryFolder()
        let dataset = try Dataset(opening: path, overviews: overviews)
        let buffer = try dataset.read(window, level: level, bands: bands, fill: 7)
        let levelWindow = level.window(fromBase: window)
        #expect(buffer.size == RasterSize(width: levelWindow.width, height: levelWindow.height))
        let levelSize = level.size(of: dataset.size)
        let insideLevel = try #require(levelWindow.intersection(Window(size: levelSize)))
        let region = try #require(level.baseWindow(of: insideLevel).intersection(Window(size: dataset.size)))
        let mask = byMask ? try GDALRaw.values(path, region, band: "mask", scratch: scratch) : nil
        let isInteger = !(buffer.pixelType.isFloatingPoint)
        // Counted, not one #expect per pixel: a wrong level would record tens of thousands of issues.
        var checked = 0
        var wrong: [String] = []
        for (i, b) in bands.enumerated() {
            let base = try GDALRaw.values(path, region, band: "\(b)", scratch: scratch)
            let nodata = try dataset.band(b).nodata
            let blocks = BlockMeans(base: base, region: region, factor: level.factor) { p in
                if let mask { return mask[p] != 0 }
                guard let nodata else { return true }
                return nodata.isNaN ? !base[p].isNaN : base[p] != nodata
            }
            #expect(blocks.width == insideLevel.width && blocks.height == insideLevel.height)
            let got = buffer.samples(band: i)
            for y in 0..<levelWindow.height {
                for x in 0..<levelWindow.width {
                    let v = got[y * levelWindow.width + x]
                    let bx = x + levelWindow.x - insideLevel.x, by = y + levelWindow.y - insideLevel.y
                    guard bx >= 0, by >= 0, bx < blocks.width, by < blocks.height else {
                        if v != 7 { wrong.append("band \(b) (\(x), \(y)) outside the scene: \(v), not the fill 7") }
                        continue
                    }
                    guard let mean = blocks.means[by * blocks.width + bx] else {
                        // A wholly nodata block keeps the nodata value; a wholly masked one is
                        // judged by its validity (see maskedPixelsAreLeftOutOfLevels).
                        if let nodata, mask == nil, !(nodata.isNaN ? v.isNaN : v == nodata) {
                            wrong.append("band \(b) (\(x), \(y)): \(v) where the whole block is nodata")
                        }
                        continue
                    }
                    if mean.isNaN {
                        // A NaN that is not the nodata value is data: the block's mean is NaN.
                        if !v.isNaN { wrong.append("band \(b) (\(x), \(y)): read \(v), the block holds NaN") }
                        checked += 1
                        continue
                    }
                    let tolerance = isInteger ? 0.5 + 1e-9 : 1e-5 * max(1, abs(mean))
                    if !(abs(v - mean) <= tolerance) { wrong.append("band \(b) (\(x), \(y)): read \(v), block mean \(mean)") }
                    checked += 1
                }
            }
        }
        #expect(checked > 0)
        #expect(wrong.isEmpty, "\(level): \(wrong.count) of \(checked) level pixels are not their block's mean, e.g. \(wrong.prefix(4))")
    }

    /// A magnified level (ℓ = −k, zoom-in windows) read with `nearest`: every level-0 pixel
    /// becomes 2^k × 2^k equal level pixels, computed here from gdal_translate's pixels.
    @Test(arguments: [-1, -2])
    func magnifiedNearestLevelRepeatsEachPixel(_ level: Int) throws {
        let scratch = TemporaryFolder()
        let path = SharedData.path(Self.uint16)
        let l = Level(level)
        let window = Window(x: 301, y: 77, width: 40, height: 24)
        let buffer = try Dataset(opening: path).read(window, level: l, bands: [2], resampling: .nearest)
        let m = l.magnification
        #expect(buffer.size == RasterSize(width: 40 * m, height: 24 * m))
        let base = try GDALRaw.values(path, window, band: "2", scratch: scratch)
        let got = buffer.samples(band: 0)
        var wrong = 0
        for y in 0..<(24 * m) {
            for x in 0..<(40 * m) where got[y * 40 * m + x] != base[(y / m) * 40 + x / m] { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of \(got.count) magnified pixels are not their level-0 pixel")
    }

    /// `resampledBand` (the weight-map path) is what `gdal_translate -outsize -r average` makes
    /// of the whole band.
    @Test func resampledBandIsGDALTranslateOutsize() throws {
        let folder = TemporaryFolder()
        let path = SharedData.path(Self.float64)
        let values = try Dataset(opening: path).resampledBand(1, to: RasterSize(width: 21, height: 12), resampling: .average)
        let out = folder.file("outsize.bin")
        try GDALRaw.run("gdal_translate", ["-q", "-of", "ENVI", "-ot", "Float64", "-outsize", "21", "12", "-r", "average", path, out])
        let truth = try #require(FileManager.default.contents(atPath: out)).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        #expect(truth.count == values.count)
        let wrong = zip(values, truth).filter { !Self.same($0, $1) && abs($0 - $1) > 1e-9 * max(1, abs($1)) }.count
        #expect(wrong == 0, "\(wrong) of \(truth.count) cells differ from gdal_translate -outsize")
    }

    // MARK: - Overviews

    /// A COG's overviews are exact levels (1024 divides by 2^ℓ): level ℓ is overview ℓ−1 as
    /// `gdal_translate -ovr` reads it, byte for byte.
    @Test(arguments: [1, 2, 3])
    func exactOverviewServesTheLevel(_ level: Int) throws {
        let scratch = TemporaryFolder()
        let path = SharedData.path(Self.cog)
        let dataset = try Dataset(opening: path)
        let l = Level(level)
        #expect(try dataset.band(1).exactOverviewIndex(for: l) == level - 1)
        let window = Window(x: 200, y: 304, width: 600, height: 512)
        let buffer = try dataset.read(window, level: l, bands: [1, 2, 3])
        let levelWindow = l.window(fromBase: window)
        var truth = Data()
        for b in 1...3 { truth += try GDALRaw.bytes(path, l.baseWindow(of: levelWindow), band: "\(b)", overview: level - 1, scratch: scratch) }
        #expect(differingBytes(buffer.bytes, truth) == 0, "level \(level) differs from gdal_translate -ovr \(level - 1)")
    }

    /// An overview gdaladdo made from a size that 2^ℓ does not divide (791 → 396) is not an
    /// exact level (DESIGN.md §3): its pixels are not the block means, so a read that used it
    /// would be caught by ``inexactOverviewIsNotUsed()``.
    @Test func inexactOverviewIsNotTheExactLevel() throws {
        let scratch = TemporaryFolder()
        let path = SharedData.path(Self.oddOverviews)
        let dataset = try Dataset(opening: path, overviews: .ignored)
        let window = Window(x: 0, y: 0, width: 791, height: 718)
        let overview = try GDALRaw.values(path, window, band: "1", overview: 0, scratch: scratch)
        let exact = try dataset.read(window, level: Level(1), bands: [1]).samples(band: 0)
        #expect(overview.count == exact.count)
        let differing = zip(overview, exact).filter { $0 != $1 }.count
        #expect(differing > exact.count / 4, "only \(differing) of \(exact.count) pixels differ")
        #expect(dataset.bands[0].overviewSizes.isEmpty, "ignored overviews are not listed")
    }

    /// With overviews available, a level whose overview is inexact is still read from the
    /// full-resolution pixels (Dataset.read's documented contract).
    @Test func inexactOverviewIsNotUsed() throws {
        let path = SharedData.path(Self.oddOverviews)
        let dataset = try Dataset(opening: path)
        #expect(dataset.bands[0].overviewSizes.first == RasterSize(width: 396, height: 359))
        #expect(try dataset.band(1).exactOverviewIndex(for: Level(1)) == nil)
        try checkBlockMeans(path: path, window: Window(x: 0, y: 0, width: 791, height: 718), bands: [1, 2, 3], level: Level(1),
                            byMask: false, overviews: .available)
    }

    /// `gdaladdo -r average` on a copy whose size 2^ℓ divides: Dataset reads its overviews
    /// as `gdal_translate -ovr` does, and those are within rounding of the exact block means
    /// ScaleTile reads from the full-resolution pixels when overviews are ignored.
    @Test func gdaladdoOverviewsAgreeWithExactLevels() throws {
        let scratch = TemporaryFolder()
        let copy = scratch.file("copy.tif")
        try GDALRaw.run("gdal_translate", ["-q", "-srcwin", "128", "256", "512", "384", "-co", "TILED=YES",
                                           SharedData.path(Self.uint16), copy])
        try GDALRaw.run("gdaladdo", ["-q", "-r", "average", copy, "2", "4", "8"])
        let window = Window(x: 0, y: 0, width: 512, height: 384)
        let withOverviews = try Dataset(opening: copy, overviews: .available)
        let fromBase = try Dataset(opening: copy, overviews: .ignored)
        for level in 1...3 {
            let l = Level(level)
            #expect(withOverviews.bands[0].exactOverviewIndex(for: l) == level - 1)
            let levelWindow = l.window(fromBase: window)
            let overview = try withOverviews.read(window, level: l, bands: [1, 2])
            var truth = Data()
            for b in 1...2 { truth += try GDALRaw.bytes(copy, l.baseWindow(of: levelWindow), band: "\(b)", overview: level - 1, scratch: scratch) }
            #expect(differingBytes(overview.bytes, truth) == 0, "level \(level) through the overview")
            let exact = try fromBase.read(window, level: l, bands: [1, 2])
            for band in 0..<2 {
                let a = overview.samples(band: band), e = exact.samples(band: band)
                let worst = zip(a, e).map { abs($0 - $1) }.max() ?? 0
                // Level 1 is the same 2x2 average. Deeper, gdaladdo averages the overview before
                // (rounded) rather than the full-resolution block: up to 1.19 from the exact mean
                // on this crop (GDAL 3.6), so one unit from ScaleTile's rounded exact level.
                #expect(worst <= (level == 1 ? 0 : 1), "level \(level) band \(band + 1): overview and exact level differ by \(worst)")
            }
            try checkBlockMeans(path: copy, window: window, bands: [1, 2], level: l, byMask: false, overviews: .ignored)
        }
    }

    // MARK: - Masks and nodata

    /// `readValidityMask` is GDAL's mask band (`gdal_translate -b mask`), for a mask derived
    /// from nodata and for an internal mask.
    @Test func validityMaskIsGDALMaskBand() throws {
        let scratch = TemporaryFolder()
        let window = Window(x: 20, y: 10, width: 400, height: 300)   // across the nodata collar
        for path in [SharedData.path(Self.rgb), try Self.maskedFixture(in: scratch)] {
            let mask = try Dataset(opening: path).readValidityMask(window)
            let truth = try GDALRaw.bytes(path, window, band: "mask", scratch: scratch)
            #expect(differingBytes(mask, truth) == 0, "\(path)")
            #expect(mask.contains(0) && mask.contains(255), "the window must hold both valid and nodata pixels")
        }
    }

    /// The nodata rule follows what gdalinfo reports of the file, and counts the pixels where
    /// every selected band is nodata, plus those outside the scene.
    @Test func nodataRuleAndCountsFollowGDAL() throws {
        let scratch = TemporaryFolder()
        // Values: RGB.byte's nodata is 0 in every band.
        let rgb = SharedData.path(Self.rgb)
        let info = try GDALTruth.info(rgb)
        let declared = (info["bands"] as? [[String: Any]] ?? []).map { $0["noDataValue"] as? Double }
        let dataset = try Dataset(opening: rgb)
        let rule = try NodataDefinition(dataset: dataset, bands: [1, 2, 3])
        #expect(rule.source == .values(declared))
        #expect(rule.outputValues == declared)
        let window = Window(x: -10, y: 600, width: 300, height: 128)  // 10 columns and 10 rows outside
        let inside = try #require(window.intersection(Window(size: dataset.size)))
        let buffer = try dataset.read(window, bands: [1, 2, 3])
        let bands = try (1...3).map { try GDALRaw.values(rgb, inside, band: "\($0)", scratch: scratch) }
        let allZero = (0..<inside.pixelCount).filter { p in bands.allSatisfy { $0[p] == 0 } }.count
        #expect(allZero > 0)
        let outside = window.pixelCount - inside.pixelCount
        #expect(try rule.nodataCount(in: buffer, window: window, level: .base, dataset: dataset) == allZero + outside)
        // Mask: the fixture has no nodata value, so its internal mask decides.
        let fixture = try Self.maskedFixture(in: scratch)
        let masked = try Dataset(opening: fixture)
        let maskRule = try NodataDefinition(dataset: masked, bands: [1, 2, 3])
        #expect(maskRule.source == .maskBand)
        #expect(maskRule.outputValues == [nil, nil, nil])
        let mask = try GDALRaw.values(fixture, inside, band: "mask", scratch: scratch)
        let maskBuffer = try masked.read(window, bands: [1, 2, 3])
        #expect(try maskRule.nodataCount(in: maskBuffer, window: window, level: .base, dataset: masked)
                == mask.filter { $0 == 0 }.count + outside)
        // None: no nodata and no mask, as gdalinfo says (mask flags ALL_VALID).
        let plain = SharedData.path(Self.uint16)
        let plainBand = try #require((try GDALTruth.info(plain)["bands"] as? [[String: Any]])?.first)
        #expect(plainBand["noDataValue"] == nil && plainBand["mask"] == nil, "gdalinfo lists neither nodata nor a mask")
        #expect(try NodataDefinition(dataset: Dataset(opening: plain), bands: [1]).source == NodataDefinition.Source.none)
        // An override wins over the file's values.
        let overridden = try NodataDefinition(dataset: dataset, bands: [1, 2], override: 255)
        #expect(overridden.source == .values([255, 255]) && overridden.fillValue == 255)
    }

    /// The properties a Dataset reports are gdalinfo's.
    @Test(arguments: [rgb, uint16, float32, float64, cog])
    func propertiesAreGDALInfos(_ file: String) throws {
        let path = SharedData.path(file)
        let info = try GDALTruth.info(path)
        let dataset = try Dataset(opening: path)
        let size = info["size"] as? [Int] ?? []
        #expect([dataset.size.width, dataset.size.height] == size)
        let bands = info["bands"] as? [[String: Any]] ?? []
        #expect(dataset.bandCount == bands.count)
        for (band, b) in zip(dataset.bands, bands) {
            #expect(band.dataTypeName == b["type"] as? String)
            #expect(band.colorInterpretation == b["colorInterpretation"] as? String)
            let block = b["block"] as? [Int] ?? []
            #expect([band.blockSize.width, band.blockSize.height] == block)
            let nodata = b["noDataValue"]
            switch nodata {
            case let v as Double: #expect(band.nodata == v)
            case let s as String: #expect(s == "NaN" && band.nodata?.isNaN == true)
            default: #expect(band.nodata == nil)
            }
            let overviews = (b["overviews"] as? [[String: Any]] ?? []).map { $0["size"] as? [Int] ?? [] }
            #expect(band.overviewSizes.map { [$0.width, $0.height] } == overviews)
            // gdalinfo prints mask flags only when they are neither ALL_VALID nor NODATA.
            let flags = (b["mask"] as? [String: Any])?["flags"] as? [String] ?? (nodata == nil ? ["ALL_VALID"] : ["NODATA"])
            #expect(band.maskFlags.names == flags)
        }
        // gdalinfo prints 17 significant digits, not the shortest round trip.
        let transform = try #require(info["geoTransform"] as? [Double])
        let coefficients = try #require(dataset.geoTransform?.coefficients)
        #expect(zip(coefficients, transform).allSatisfy { abs($0 - $1) <= 1e-13 * max(1, abs($1)) }, "\(coefficients) vs \(transform)")
        #expect(dataset.driverName == info["driverShortName"] as? String)
    }
}
