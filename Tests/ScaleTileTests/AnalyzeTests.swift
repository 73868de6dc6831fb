import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ScaleTile
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// `analyze` on the shared data: counts and sizes against what SOURCES.md records.
@Suite("Analyze on real data", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct AnalyzeTests {
    static func analyze(_ path: String, _ configure: (inout AnalyzeJob.Options) -> Void = { _ in }) throws -> AnalysisReport {
        var options = AnalyzeJob.Options()
        configure(&options)
        return try AnalyzeJob(labels: path, options: options).run()
    }

    // mask2d.tif: an instance mask of 125 nuclei (SOURCES.md). A single-page TIFF is a scene,
    // read as a label raster (objects); read as a stack it gives the same 125 as lesions. Each
    // nucleus has its own label, so connectivity cannot merge two.
    @Test func nucleiInstanceMaskHas125Objects() throws {
        let path = SharedData.path("medical/tiff/mask2d.tif")
        let raster = try Self.analyze(path)
        #expect(raster.kind == .labelRaster && raster.targetCount == 125 && raster.objects?.count == 125)
        #expect(raster.size == [512, 512] && raster.histogram.total == 125 && raster.buckets.total == 125)
        let stack = try Self.analyze(path) { $0.kind = .stack; $0.instances = true }
        #expect(stack.kind == .mask && stack.lesions?.count == 125 && stack.size == [512, 512, 1])
        #expect(stack.classSizes.map(\.className) == ["object"] && stack.classSizes[0].count == 125)
        // The raster's values are the instance ids 1...125 (SOURCES.md: 125 labels), one object each.
        #expect(Set(stack.lesions!.map(\.label)).count == 125)
        #expect(stack.connectivity == 8)
    }

    // brain1's tumour: 4,137 voxels in x 162–208, y 84–153, z 11–17; the lung nodule: 837
    // voxels (SOURCES.md). Volumes use the stack's spacing: 0.78125² x 6.5 mm³ per brain voxel.
    @Test func lesionMasksAddUpToTheirVoxelCounts() throws {
        let brain = try Self.analyze(StackFiles.brainLabel)
        let lesions = try #require(brain.lesions)
        #expect(lesions.reduce(0) { $0 + $1.voxels } == 4137)
        #expect(lesions.dropFirst().reduce(lesions[0].bbox) { $0.union($1.bbox) } == Window(x: 162, y: 84, z: 11, width: 47, height: 70, depth: 7))
        let volume = lesions.reduce(0) { $0 + $1.volume }
        #expect(abs(volume - 4137 * 0.78125 * 0.78125 * 6.5) < 1e-6)
        #expect(brain.spacing?.z == 6.5 && brain.connectivity == 26)
        let lung = try Self.analyze(StackFiles.lungLabel)
        #expect(lung.lesions?.map(\.voxels) == [837])
        // With a patch of 96 voxels the nodule (about 24 x 26 px on 3 slices) needs that much overlap.
        let lungWithTile = try Self.analyze(StackFiles.lungLabel) { $0.tileSize = RasterSize(width: 96, height: 96, depth: 96) }
        let box = lung.lesions![0].bbox
        #expect(lungWithTile.overlap?.overlap == RasterSize(width: box.width, height: box.height, depth: 0))
    }

    // OSBS_029: 61 tree crowns, widths 17–59 px (SOURCES.md), as CSV and as Pascal VOC without a
    // scene, and as CSV with the scene; the SpaceNet buildings: 43, as GeoJSON and as YOLO
    // (both need the scene).
    @Test func labelFilesGiveTheirObjectCounts() throws {
        let osbs = "satellite/labeled/neon_osbs_trees/"
        for file in ["OSBS_029.csv", "OSBS_029.xml"] {
            let report = try Self.analyze(SharedData.path(osbs + file))
            #expect(report.kind == .labels && report.targetCount == 61, "\(file)")
            let widths = report.objects!.map { $0.bbox[2] }
            #expect(widths.min()! >= 17 && widths.max()! <= 59, "\(file)")
        }
        let withScene = try Self.analyze(SharedData.path(osbs + "OSBS_029.csv")) { $0.image = SharedData.path(osbs + "OSBS_029.tif") }
        #expect(withScene.targetCount == 61 && withScene.size == [400, 400])

        let spacenet = "satellite/labeled/spacenet4_atlanta/"
        let scene = SharedData.path(spacenet + "sample_geotiff.tif")
        #expect(try Self.analyze(SharedData.path(spacenet + "geotiff_labels.geojson")) { $0.image = scene }.targetCount == 43)
        #expect(try Self.analyze(SharedData.path(spacenet + "sample_geotiff.tif.txt")) { $0.image = scene; $0.format = .yolo }.targetCount == 43)
        #expect(throws: ScaleTileError.self) { try Self.analyze(SharedData.path(spacenet + "geotiff_labels.geojson")) }
    }

    // Buckets, weights and levels on a handful of hand-made boxes: sizes √(w·h) of 10, 20, 40
    // and 100 px, classes a, a, a, b. Buckets by area: 100 and 400 and 1600 px² → small, small,
    // medium; 10,000 → large. Inverse frequency: 1/3 and 1, mean 2/3 → 0.5 and 1.5. With the
    // band 16:32, 20 is in band at level 0, 40 at level 1, 100 nowhere (50 at level 1, 25 at
    // level 2 — so level 2), and 10 below 16 even at level 0.
    @Test func reportOfHandMadeBoxes() throws {
        let folder = TemporaryFolder()
        let csv = folder.file("boxes.csv")
        try """
        xmin,ymin,xmax,ymax,label
        0,0,10,10,a
        50,50,70,70,a
        100,100,140,140,a
        200,200,300,300,b

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let band = try ObjectSizeBand(min: 16, max: 32)
        let report = try Self.analyze(csv) { $0.band = band }
        #expect(report.buckets == BucketCounts(small: 2, medium: 1, large: 1))
        #expect(report.classWeights.classes.map(\.inverseFrequency) == [0.5, 1.5])
        #expect(report.levels?.levels.map(\.level) == [0, 1, 2] && report.levels?.zoomInCount == 1)
        #expect(report.histogram.bins.map(\.exponent) == [3, 4, 5, 6] && report.histogram.bins.map(\.count) == [1, 1, 1, 1])
        #expect(report.classHistograms.map(\.counts) == [[1, 1, 1, 0], [0, 0, 0, 1]])
    }

    // The chart is well-formed SVG: one bar segment per (class, bin) with a count, one legend
    // entry per class, one label per bin.
    @Test func chartIsWellFormedSVGWithABarPerClassAndBin() throws {
        let report = try Self.analyze(SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson")) {
            $0.image = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")
        }
        let svg = SizeChart.svg(for: report)
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "the chart parses as XML")
        #expect(counter.root == "svg")
        let segments = report.classHistograms.reduce(0) { $0 + $1.counts.count { $0 > 0 } }
        #expect(counter.rects["bar"] == segments)
        #expect(counter.rects["legend"] == report.classHistograms.count)
        #expect(counter.texts["bin"] == report.histogram.bins.count)
        #expect(SizeChart.svg(for: report) == svg, "equal reports give equal charts")
    }
}

extension AnalyzeTests {
    // The chart shades the --object-size band over exactly the bins it spans: a band from the
    // second bin's lower edge to the third bin's upper edge covers two bin slots, whose places
    // the chart's own bin labels give.
    @Test func chartShadesTheObjectSizeBand() throws {
        let labels = SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson")
        let image = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")
        let plain = try Self.analyze(labels) { $0.image = image }
        #expect(!SizeChart.svg(for: plain).contains("class=\"band\""), "no band without --object-size")
        let bins = plain.histogram.bins
        try #require(bins.count >= 3)
        let band = try ObjectSizeBand(min: bins[1].minSize, max: bins[2].maxSize)
        let svg = SizeChart.svg(for: try Self.analyze(labels) { $0.image = image; $0.band = band })
        func number(_ pattern: String) throws -> Double {
            let regex = try Regex(pattern)
            let match = try #require(svg.firstMatch(of: regex), "\(pattern) in the chart")
            let text = try #require(match.output[1].substring)
            return try #require(Double(String(text)))
        }
        func labelX(_ bin: SizeHistogram.Bin) throws -> Double {
            try number(#"<text class="bin" x="([0-9.]+)"[^>]*>"# + "\(Int(bin.minSize))–\(Int(bin.maxSize))</text>")
        }
        let slot = try labelX(bins[2]) - labelX(bins[1])
        #expect(abs(try number(#"<rect class="band" x="([0-9.]+)""#) - (try labelX(bins[1]) - slot / 2)) <= 0.15)
        #expect(abs(try number(#"<rect class="band" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)""#) - 2 * slot) <= 0.2)
    }

    // A --tile-size larger than the mask on some axis is clipped to it, with one warning naming
    // the axes; the default window is clipped silently.
    @Test func windowsLargerThanTheSourceAreClippedAndSaid() throws {
        let asked = try Self.analyze(StackFiles.brainLabel) { $0.tileSize = RasterSize(width: 512, height: 512, depth: 512) }
        let size = try #require(asked.size)
        let tile = try #require(asked.overlap?.tileSize)
        let expected: [Int] = [min(512, size[0]), min(512, size[1]), min(512, size[2])]
        #expect([tile.width, tile.height, tile.depth] == expected)
        let warning = try #require(asked.warnings.first { $0.contains("larger than the source") })
        #expect(warning.contains("--tile-size 512") && warning.contains("Z"))
        let fallback = try Self.analyze(StackFiles.brainLabel)
        #expect(fallback.overlap?.tileSize == tile && !fallback.warnings.contains { $0.contains("larger than the source") })
    }
}

/// Counts `<rect>` and `<text>` elements by their `class` attribute.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var root: String?
    var rects: [String: Int] = [:]
    var texts: [String: Int] = [:]

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        guard let kind = attributes["class"] else { return }
        if name == "rect" { rects[kind, default: 0] += 1 }
        if name == "text" { texts[kind, default: 0] += 1 }
    }
}
