import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile analyze LABELS [--image SOURCE] [--json] [--chart FILE.svg]`.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(.analyze)

        @Argument(help: "The mask stack or volume, label raster or label file; several, a folder or a quoted glob are analysed in turn (--json: an array).") var labels: [String]
        @Option(help: "The scene the labels belong to (needed for vectors and YOLO).") var image: String?
        @Flag(help: "Print the report as JSON on standard output.") var json = false
        @Option(help: ArgumentHelp("Also draw the size distribution as an SVG bar chart into this file.", valueName: "FILE.svg")) var chart: String?
        @Option(help: "Voxels (pixels) forming one object in masks and label rasters: 6, 18 or 26 (volumes), 4 or 8 (planes).") var connectivity: Int = 26
        @Option(name: .customLong("object-size"), help: ArgumentHelp("The size band, in pixels, an object should have in some tile: gives the levels it needs.", valueName: "MIN:MAX")) var objectSize: String?
        @Option(name: .customLong("tile-size"), help: "The tile (patch) edge the recommended overlap is for (default 512).") var tileSize: Int?
        @Flag(help: "Label values are instance ids, not classes: count every object as one class.") var instances = false
        @Option(help: ArgumentHelp("β of the effective-number class weights (Cui et al. 2019), in [0, 1).", valueName: "beta")) var beta: Double = ClassWeights.defaultBeta
        @Option(name: .customLong("label-format"), help: "The label file's format when its name does not say: coco, yolo, voc, csv, vector, raster.") var labelFormat: String?
        @Option(name: .customLong("class-field"), help: "Vectors: the attribute holding the class.") var classField: String?
        @OptionGroup var input: InputKindOption

        func run() throws {
            try reportingFailures {
                let options = try AnalyzeJob.Options(image: image, kind: input.kind, connectivity: connectivity, objectSize: objectSize,
                                                     tileSize: tileSize, instances: instances, beta: beta, labelFormat: labelFormat,
                                                     classField: classField, chart: chart)
                let inputs = try InputList(labels, folderExtensions: AnalyzeJob.folderExtensions)
                let reports = try AnalyzeJob.run(inputs.paths, options: options)
                for warning in reports.flatMap(\.warnings) { StandardError.write("warning: \(warning)\n") }
                if json { return try inputs.isBatch ? StandardOutput.writeJSON(reports) : StandardOutput.writeJSON(reports[0]) }
                StandardOutput.write(inputs.joined(reports.map { $0.table() }))
            }
        }
    }
}
