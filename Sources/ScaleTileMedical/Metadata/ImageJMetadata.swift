import Foundation
import ScaleTileCore

/// What an ImageJ ImageDescription says about a stack.
///
/// ImageJ writes `key=value` lines into the first page's ImageDescription, starting with
/// `ImageJ=<version>`: `images` (page count), `channels`, `slices`, `frames`, `spacing` (Z step)
/// and `unit`, among keys ScaleTile does not need (`mode`, `loop`, `min`, `max`, …). The X and Y
/// pixel sizes are not in it: they are the reciprocals of the XResolution and YResolution tags.
struct ImageJMetadata: Equatable {
    /// The `ImageJ=` value: the version of ImageJ (or the writer imitating it).
    var version: String
    var images: Int?
    var channels: Int?
    var slices: Int?
    var frames: Int?
    /// The Z step between slices, in ``unit``.
    var spacing: Double?
    /// The unit of all pixel sizes, normalised (``LengthUnit``).
    var unit: String?

    /// Parses `description`; nil unless its first line is `ImageJ=…`.
    init?(description: String) {
        guard description.hasPrefix("ImageJ=") else { return nil }
        var values: [Substring: Substring] = [:]
        for line in description.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[line[..<equals]] = line[line.index(after: equals)...]
        }
        func count(_ key: Substring) -> Int? { values[key].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        version = String(values["ImageJ"] ?? "")
        images = count("images")
        channels = count("channels")
        slices = count("slices")
        frames = count("frames")
        // Writers print the Z step with their arithmetic's binary noise (6.499999999999998 for
        // 6.5); ten significant digits keep every real spacing and drop the noise.
        spacing = values["spacing"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            .map { ImageJMetadata.rounded($0, significantDigits: 10) }
        unit = values["unit"].map { LengthUnit.normalised(String($0)) }
    }

    /// Channels, slices and frames, and the pages they fill (channel fastest, then slice, then frame).
    ///
    /// A missing count is 1. When channels × slices × frames does not give `images`, ImageJ opens
    /// the file as a plain stack of `images` slices, and so does ScaleTile.
    var dimensions: (channels: Int, slices: Int, frames: Int, images: Int) {
        let c = max(channels ?? 1, 1), z = max(slices ?? 1, 1), t = max(frames ?? 1, 1)
        // Counts come from the file: a product past Int is no count any file holds.
        let (cz, overflowCZ) = c.multipliedReportingOverflow(by: z)
        let (czt, overflowCZT) = cz.multipliedReportingOverflow(by: t)
        let product = overflowCZ || overflowCZT ? Int.max : czt
        let images = self.images ?? product
        guard product == images else { return (1, images, 1, images) }
        return (c, z, t, images)
    }

    /// The description ScaleTile writes for `channels` × `slices` pages (one frame).
    ///
    /// The keys and their order are those ImageJ itself writes for a hyperstack; `channels`,
    /// `hyperstack` and `mode` only appear with more than one channel, as in ImageJ. The version
    /// is fixed so that equal patches give equal files.
    static func description(channels: Int, slices: Int, spacing: Spacing) -> String {
        var lines = ["ImageJ=1.11a", "images=\(channels * slices)"]
        if channels > 1 { lines.append("channels=\(channels)") }
        lines.append("slices=\(slices)")
        if channels > 1 { lines += ["hyperstack=true", "mode=grayscale"] }
        lines += ["unit=\(asciiUnit(spacing.unit))", "spacing=\(spacing.z)", "loop=false"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// ImageDescription is an ASCII tag: micrometres become ImageJ's `micron`, other non-ASCII
    /// letters the `\uXXXX` escapes ImageJ reads back.
    private static func asciiUnit(_ unit: String) -> String {
        let normalised = LengthUnit.normalised(unit)
        if normalised == "um" { return "micron" }
        return normalised.unicodeScalars.map { $0.isASCII ? String($0) : "\\u" + String(format4Hex: $0.value) }.joined()
    }
}

private extension String {
    /// Four upper-case hex digits, zero-padded (`00C5`).
    init(format4Hex value: UInt32) {
        let digits = String(value, radix: 16, uppercase: true)
        self = String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits
    }
}
