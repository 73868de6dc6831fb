import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile quicklook OUT [--out FILE.png]`.
    struct Quicklook: ParsableCommand {
        static let configuration = CommandConfiguration(.quicklook)

        @Argument(help: ArgumentHelp("The ScaleTile output folder.", valueName: "OUT")) var tiles: String
        @Option(help: ArgumentHelp("The PNG to write (default OUT/quicklook.png).", valueName: "FILE.png")) var out: String?
        @Option(name: .customLong("max-size"), help: "The scene's longest side in the picture, in pixels.") var maxSize: Int = 1024
        @Option(help: ArgumentHelp("Stitched detections to outline.", valueName: "detections.coco.json")) var detections: String?
        @Flag(help: "Print the picture's size and legend as JSON.") var json = false

        func run() throws {
            try reportingFailures {
                var job = QuicklookJob(run: tiles, output: out)
                job.maxSize = maxSize
                job.detections = detections
                let report = try job.run()
                if json { try StandardOutput.writeJSON(report) } else { StandardError.write("wrote \(report.path) (\(report.width)x\(report.height))\n") }
            }
        }
    }
}
