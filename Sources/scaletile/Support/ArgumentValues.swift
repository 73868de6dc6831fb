import Foundation
import ArgumentParser
import ScaleTileCore

extension EdgePolicy: ExpressibleByArgument {}
extension TileFormat: ExpressibleByArgument {}
extension Resampling: ExpressibleByArgument {}

extension LevelSelection: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

/// Parses `--co KEY=VALUE` options into a dictionary.
func creationOptions(_ values: [String]) throws -> [String: String] {
    var result: [String: String] = [:]
    for value in values {
        let parts = value.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw ScaleTileError.argument("--co", "'\(value)' is not KEY=VALUE")
        }
        result[parts[0].uppercased()] = String(parts[1])
    }
    return result
}

/// Parses a `--bands` list such as `3,2,1`.
func bandList(_ text: String) throws -> [Int] {
    let numbers = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else {
        throw ScaleTileError.argument("--bands", "'\(text)' is not a list of band numbers such as 3,2,1")
    }
    return numbers.map { $0! }
}

/// Parses `MIN:MAX` (`--rescale`, `--object-size`).
func numberRange(_ text: String, option: String) throws -> ClosedRange<Double> {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]), lo < hi else {
        throw ScaleTileError.argument(option, "'\(text)' is not MIN:MAX with MIN < MAX")
    }
    return lo...hi
}
