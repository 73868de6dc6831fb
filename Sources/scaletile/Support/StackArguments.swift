import Foundation
import ArgumentParser
import ScaleTile

extension TIFFKind: ExpressibleByArgument {}
extension Padding: ExpressibleByArgument {}
extension StackPyramidJob.Layout: ExpressibleByArgument {}

/// `--as scene|stack`: the reader an input gets when the DESIGN rule would pick the other one.
struct InputKindOption: ParsableArguments {
    @Option(name: .customLong("as"), help: "Read the input as a scene (GDAL) or a stack (libtiff) whatever its layout suggests.")
    var kind: TIFFKind?
}

/// Parses `--connectivity 6|18|26` (volumes) or `4|8` (planes).
func parsedConnectivity(_ neighbours: Int) throws -> Connectivity {
    guard let connectivity = Connectivity(neighbourCount: neighbours) else {
        throw ScaleTileError.argument("--connectivity", "\(neighbours) is not a connectivity: use 6, 18 or 26 (volumes), 4 or 8 (planes)")
    }
    return connectivity
}
