import ArgumentParser
import Foundation
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile analyze LABELS [--image SOURCE] [--json] [--chart FILE.svg]`.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The scale report of a label set: size histogram, COCO buckets, classes, class weights, overlap and levels.",
            discussion: """
            LABELS is a mask stack (its connected components are lesions, labelled slice by slice), a label \
            raster (one object per connected region of equal value), or a label file for a scene: COCO, YOLO, \
            Pascal VOC, CSV boxes, GeoJSON, GeoPackage, Shapefile. --image gives the scene's grid and CRS; \
            vectors and YOLO need it. Sizes are s = √n, n the object's pixel (box area) or voxel count. \
            --json prints lesions (masks) or objects (labels) with the statistics; warnings go to standard error.
            """)

        @Argument(help: "The mask stack, label raster or label file.")
        var labels: String

        @Option(help: "The scene the labels belong to (needed for vectors and YOLO).")
        var image: String?

        @Flag(help: "Print the report as JSON on standard output.")
        var json = false

        @Option(help: ArgumentHelp("Also draw the size distribution as an SVG bar chart into this file.", valueName: "FILE.svg"))
        var chart: String?

        @Option(help: "Voxels (pixels) forming one object in masks and label rasters: 6, 18 or 26 (volumes), 4 or 8 (planes).")
        var connectivity: Int = 26

        @Option(name: .customLong("object-size"), help: ArgumentHelp("The size band, in pixels, an object should have in some tile: gives the levels it needs.", valueName: "MIN:MAX"))
        var objectSize: String?

        @Option(name: .customLong("tile-size"), help: "The tile (patch) edge the recommended overlap is for (default 512).")
        var tileSize: Int?

        @Flag(help: "Label values are instance ids, not classes: count every object as one class.")
        var instances = false

        @Option(help: ArgumentHelp("β of the effective-number class weights (Cui et al. 2019), in [0, 1).", valueName: "beta"))
        var beta: Double = ClassWeights.defaultBeta

        @Option(name: .customLong("label-format"), help: "The label file's format when its name does not say: coco, yolo, voc, csv, vector, raster.")
        var labelFormat: String?

        @Option(name: .customLong("class-field"), help: "Vectors: the attribute holding the class.")
        var classField: String?

        @OptionGroup var input: InputKindOption

        func run() throws {
            try reportingFailures {
                var options = AnalyzeJob.Options()
                options.image = image
                options.kind = input.kind
                options.connectivity = try parsedConnectivity(connectivity)
                options.band = try objectSize.map { try ObjectSizeBand(parsing: $0) }
                if let tileSize {
                    guard tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(tileSize)") }
                    options.tileSize = RasterSize(width: tileSize, height: tileSize, depth: tileSize)
                }
                options.instances = instances
                try ClassWeights.check(beta: beta, option: "--beta")
                options.beta = beta
                if let labelFormat {
                    guard let format = LabelFormat(rawValue: labelFormat.lowercased()) else {
                        throw ScaleTileError.argument("--label-format", "'\(labelFormat)' is not one of coco, yolo, voc, csv, vector, raster")
                    }
                    options.format = format
                }
                options.classField = classField
                if let chart, !chart.lowercased().hasSuffix(".svg") {
                    throw ScaleTileError.argument("--chart", "'\(chart)' should name an .svg file")
                }
                let report = try AnalyzeJob(labels: labels, options: options).run()
                for warning in report.warnings { StandardError.write("warning: \(warning)\n") }
                if let chart {
                    try AtomicFile.write(Data(SizeChart.svg(for: report).utf8), to: chart)
                }
                if json {
                    try StandardOutput.writeJSON(report)
                } else {
                    StandardOutput.write(report.table())
                }
            }
        }
    }
}
