import ScaleTileCore

/// A tile or patch size as presets write it: `512` (square), `256x128`, or `128x128x32` (stacks).
public struct TileExtent: Hashable, Sendable, Codable, CustomStringConvertible {
    /// X, in pixels.
    public var width: Int
    /// Y, in pixels.
    public var height: Int
    /// Z, in slices; nil for a flat tile (scenes).
    public var depth: Int?

    /// A square tile of `edge` pixels.
    public init(_ edge: Int) {
        width = edge
        height = edge
        depth = nil
    }

    /// A `width` x `height` (x `depth`) tile or patch.
    public init(width: Int, height: Int, depth: Int? = nil) {
        self.width = width
        self.height = height
        self.depth = depth
    }

    /// The edge of a square flat tile, else nil.
    public var squareEdge: Int? { width == height && depth == nil ? width : nil }

    /// The sizes along each given axis (2 or 3 of them).
    var axes: [Int] { [width, height] + (depth.map { [$0] } ?? []) }

    public var description: String {
        if let edge = squareEdge { return String(edge) }
        return axes.map(String.init).joined(separator: "x")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let edge = try? container.decode(Int.self) {
            self.init(edge)
            return
        }
        let text = (try? container.decode(String.self)) ?? ""
        guard let axes = PresetText.axes(text), axes.count >= 2 else {
            throw PresetDecoding.mismatch(decoder, "must be a number of pixels, WxH or WxHxD")
        }
        self.init(width: axes[0], height: axes[1], depth: axes.count == 3 ? axes[2] : nil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let edge = squareEdge { try container.encode(edge) } else { try container.encode(description) }
    }
}

/// The overlap between neighbouring tiles: pixels per axis, or `auto` (picked from label sizes).
public enum OverlapSetting: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Picked from the labels so every object up to that size is whole in some tile (DESIGN.md §4).
    case auto
    /// Pixels shared along X, Y and (stacks) Z. `z` nil: one number was given, shared along
    /// every axis the tile has (Z too on 3-D patches, as `--overlap N` does); `XxY` gives Z 0.
    case pixels(x: Int, y: Int, z: Int?)

    /// The same overlap on every axis.
    public static func uniform(_ pixels: Int) -> OverlapSetting { .pixels(x: pixels, y: pixels, z: nil) }

    /// The overlap of a scene's tiles: one number for X and Y (Z, if given, must be 0).
    public var planarPixels: Int? {
        guard case let .pixels(x, y, z) = self, x == y, (z ?? 0) == 0 else { return nil }
        return x
    }

    /// The overlap of a stack's patches of `depth` slices.
    func voxels(patchDepth depth: Int) -> RasterSize? {
        guard case let .pixels(x, y, z) = self else { return nil }
        return RasterSize(width: x, height: y, depth: z ?? (depth > 1 ? x : 0))
    }

    /// The overlap along each axis given, or nil for `auto`.
    var axes: [Int]? {
        guard case let .pixels(x, y, z) = self else { return nil }
        return [x, y] + (z.map { [$0] } ?? [])
    }

    /// The overlap when it is the same on X and Y and no Z is given, as scenes need it.
    public var uniformPixels: Int? {
        guard case let .pixels(x, y, z) = self, x == y, z == nil else { return nil }
        return x
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case let .pixels(x, y, z):
            if let uniform = uniformPixels { return String(uniform) }
            return ([x, y] + (z.flatMap { $0 == 0 ? nil : [$0] } ?? [])).map(String.init).joined(separator: "x")
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let pixels = try? container.decode(Int.self) {
            self = .uniform(pixels)
            return
        }
        let text = (try? container.decode(String.self)) ?? ""
        if text.lowercased() == "auto" {
            self = .auto
        } else if let axes = PresetText.axes(text), axes.count >= 2 {
            self = .pixels(x: axes[0], y: axes[1], z: axes.count == 3 ? axes[2] : 0)
        } else {
            throw PresetDecoding.mismatch(decoder, "must be a number, XxY, XxYxZ or auto")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let uniform = uniformPixels { try container.encode(uniform) } else { try container.encode(description) }
    }
}

/// Parsing of the short forms presets share with the command line.
enum PresetText {
    /// `256x128` or `128x128x32` (an `X` works too): the integers, or nil.
    static func axes(_ text: String) -> [Int]? {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        let numbers = parts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...3).contains(numbers.count), numbers.allSatisfy({ $0 != nil }) else { return nil }
        return numbers.map { $0! }
    }

    /// `MIN:MAX` as two numbers, or nil.
    static func pair(_ text: String, separator: Character) -> (Double, Double)? {
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 2,
              let low = Double(parts[0].trimmingCharacters(in: .whitespaces)),
              let high = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        return (low, high)
    }
}

/// Numbers written back as people write them: `3000`, not `3000.0`.
enum PresetNumber {
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Decoding errors whose description is the end of a sentence about the field
/// (`must be a number, XxY, XxYxZ or auto`); ``PresetDocument`` adds the line, the key and the value.
enum PresetDecoding {
    /// The error for a value of the wrong form at the decoder's position.
    static func mismatch(_ decoder: any Decoder, _ expectation: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: expectation))
    }

    /// The error for a value of the wrong form under `key`.
    static func mismatch<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K, _ expectation: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: container.codingPath + [key], debugDescription: expectation))
    }
}

extension KeyedDecodingContainer {
    /// One of a fixed set of names (`shift`, `pad`, `drop`), with an error that lists them.
    func decodeChoice<T: CaseIterable & RawRepresentable<String>>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw PresetDecoding.mismatch(self, key, "must be " + PresetText.oneOf(T.allCases.map(\.rawValue)))
        }
        return value
    }

    /// A `MIN:MAX` or `LOW,HIGH` pair of numbers.
    func decodePair(forKey key: Key, separator: Character, form: String) throws -> (Double, Double)? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let pair = PresetText.pair(text, separator: separator) else {
            throw PresetDecoding.mismatch(self, key, "must be \(form)")
        }
        return pair
    }

    /// A path, or a list of paths.
    func decodePaths(forKey key: Key) throws -> [String]? {
        if let single = try? decodeIfPresent(String.self, forKey: key) { return [single] }
        return try decodeIfPresent([String].self, forKey: key)
    }
}

extension PresetText {
    /// `a, b or c`.
    static func oneOf(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
