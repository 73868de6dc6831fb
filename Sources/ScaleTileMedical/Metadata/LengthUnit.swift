import Foundation

/// Length unit names as stack files spell them, brought to one spelling.
///
/// ImageJ writes micrometres as `micron` or as the escaped `\u00B5m`, OME-XML as `µm` (micro
/// sign) and some tools as `μm` (Greek mu); ScaleTile reports all of them as `um`, so presets and
/// manifests compare equal whatever wrote the file.
enum LengthUnit {
    /// The spelling ScaleTile uses for `name`: `um` for every micrometre spelling, `pixel` for
    /// ImageJ's `pixel`/`pixels`, anything else trimmed but kept.
    static func normalised(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "micron", "microns", "\\u00B5m", "\\u00b5m", "\u{00B5}m", "\u{03BC}m", "um": return "um"
        case "pixel", "pixels", "": return "pixel"
        case "\\u00C5", "\u{00C5}", "\u{212B}": return "Å"
        default: return trimmed
        }
    }

    /// How many metres one `unit` (normalised) is, for the units ScaleTile converts between; nil otherwise.
    static func metres(per unit: String) -> Double? {
        switch unit {
        case "km": return 1e3
        case "m": return 1
        case "dm": return 1e-1
        case "cm": return 1e-2
        case "mm": return 1e-3
        case "um": return 1e-6
        case "nm": return 1e-9
        case "pm": return 1e-12
        case "Å": return 1e-10
        default: return nil
        }
    }

    /// `value` in `from` units expressed in `to` units, or nil when either is not convertible.
    static func convert(_ value: Double, from: String, to: String) -> Double? {
        if from == to { return value }
        guard let a = metres(per: from), let b = metres(per: to) else { return nil }
        return value * a / b
    }
}
