import Foundation
import ArgumentParser
import ScaleTile
import ScaleTileCore
import ScaleTileMedical

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

/// Parses `XxY` or `XxYxZ` sizes (`--patch`, `--patch-mm`, `--overlap`), each part a number.
func sizeParts<T: LosslessStringConvertible>(_ text: String, option: String, as _: T.Type, allowed: Set<Int>) throws -> [T] {
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { T(String($0).trimmingCharacters(in: .whitespaces)) }
    guard allowed.contains(parts.count), parts.allSatisfy({ $0 != nil }) else {
        let forms = allowed.sorted().map { ["N", "XxY", "XxYxZ"][$0 - 1] }.joined(separator: " or ")
        throw ScaleTileError.argument(option, "'\(text)' is not a size: use \(forms)")
    }
    return parts.map { $0! }
}
