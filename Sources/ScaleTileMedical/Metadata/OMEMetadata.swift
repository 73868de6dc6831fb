import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ScaleTileCore

/// What the OME-XML in an OME-TIFF's first ImageDescription says about its first image.
///
/// Only the `Pixels` element of the first `Image` matters here: its sizes, dimension order,
/// sample type, physical pixel sizes, and the `TiffData` elements that say which page (IFD)
/// holds which plane. Further images (series) are not read. How many channels share a page
/// comes from the pages' SamplesPerPixel tag, which is what libtiff decodes by.
struct OMEMetadata: Equatable {
    var sizeX = 0
    var sizeY = 0
    var sizeZ = 0
    var sizeC = 0
    var sizeT = 0
    /// `XY` followed by `Z`, `C` and `T` in some order, fastest-varying first (e.g. `XYCZT`).
    var dimensionOrder = "XYCZT"
    /// OME's name of the sample type (`uint16`, `float`, …).
    var type = ""
    var physicalSizeX: PhysicalSize?
    var physicalSizeY: PhysicalSize?
    var physicalSizeZ: PhysicalSize?
    var tiffData: [TiffData] = []
    /// The root element's `UUID`, which TiffData elements use to say "this file".
    var fileUUID: String?
    /// Set when the metadata lives in a companion file (`BinaryOnly`).
    var companionFile: String?

    /// A pixel size and its unit (normalised, see ``LengthUnit``).
    struct PhysicalSize: Equatable {
        var value: Double
        var unit: String
    }

    /// One `TiffData` element: the pages `ifd ..< ifd + planeCount` hold consecutive planes,
    /// in dimension order, from plane (`firstZ`, `firstC`, `firstT`) on.
    struct TiffData: Equatable {
        /// Absent means 0.
        var ifd: Int?
        var firstZ = 0
        var firstC = 0
        var firstT = 0
        /// Absent means 1 when `ifd` is given, else every page of the file.
        var planeCount: Int?
        /// The `UUID` child's `FileName` and text, naming the file that holds the pages.
        var fileName: String?
        var uuid: String?
    }

    /// Whether an ImageDescription holds OME-XML (an `OME` element, with or without a
    /// namespace prefix) rather than some other text.
    static func isOME(_ description: String) -> Bool {
        description.range(of: #"<([A-Za-z_][\w.-]*:)?OME[\s>/]"#, options: .regularExpression) != nil
    }

    /// Parses the OME-XML `xml`.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` naming `path` when the XML is malformed or
    ///   lacks the sizes every OME image has.
    init(xml: String, path: String) throws {
        try attributing(to: path) {
            try XMLText.check(Data(xml.utf8), what: "the OME-XML in the first page's ImageDescription is not well-formed")
        }
        let reader = OMEXMLReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown reason"
            throw ScaleTileError(.invalidInput, path, "the OME-XML in the first page's ImageDescription is not well-formed (line \(parser.lineNumber): \(reason))")
        }
        // Foundation's parser on Linux accepts a document that stops inside an element.
        guard reader.openElements == 0 else {
            throw ScaleTileError(.invalidInput, path, "the OME-XML in the first page's ImageDescription is not well-formed (it stops before its elements are closed)")
        }
        if let problem = reader.problem {
            throw ScaleTileError(.invalidInput, path, "the OME-XML in the first page's ImageDescription \(problem)")
        }
        guard reader.sawPixels else {
            throw ScaleTileError(.invalidInput, path, "the OME-XML in the first page's ImageDescription has no Image with Pixels")
        }
        self = reader.metadata
        for (name, size) in [("SizeX", sizeX), ("SizeY", sizeY), ("SizeZ", sizeZ), ("SizeC", sizeC), ("SizeT", sizeT)] where size < 1 {
            throw ScaleTileError(.invalidInput, path, "the OME-XML gives no valid \(name) (a whole number of at least 1)")
        }
        let order = Array(dimensionOrder)
        guard order.count == 5, order[0] == "X", order[1] == "Y", Set(order[2...]) == ["Z", "C", "T"] else {
            throw ScaleTileError(.invalidInput, path, "the OME-XML DimensionOrder \"\(dimensionOrder)\" is not XY followed by Z, C and T")
        }
    }

    /// An empty record the XML reader fills in.
    fileprivate init() {}

    /// The pixel type OME's `Type` names, or nil for types ScaleTile does not hold (`bit`, complex).
    var pixelType: PixelType? {
        switch type {
        case "int8": return .int8
        case "int16": return .int16
        case "int32": return .int32
        case "uint8": return .uint8
        case "uint16": return .uint16
        case "uint32": return .uint32
        case "float": return .float32
        case "double": return .float64
        default: return nil
        }
    }

    /// OME's name for `pixelType`, or nil when OME has none (64-bit integers).
    static func typeName(of pixelType: PixelType) -> String? {
        switch pixelType {
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .uint8: return "uint8"
        case .uint16: return "uint16"
        case .uint32: return "uint32"
        case .float32: return "float"
        case .float64: return "double"
        case .int64, .uint64: return nil
        }
    }

    /// The position of plane (`z`, `c`, `t`) in the dimension order, where `c` counts pages
    /// (channels interleaved in one page count once).
    func planeIndex(z: Int, c: Int, t: Int, pageChannels: Int) -> Int {
        var index = 0
        var stride = 1
        for axis in dimensionOrder.dropFirst(2) {
            switch axis {
            case "Z": index += z * stride; stride *= sizeZ
            case "C": index += c * stride; stride *= pageChannels
            default: index += t * stride; stride *= sizeT
            }
        }
        return index
    }

    /// The physical sizes as one ``Spacing``: OME gives each axis its own unit (micrometres
    /// when absent), converted here to the unit of X. An axis without a size counts as one
    /// unit, as ImageJ and Bio-Formats treat it; without any size the spacing is in pixels.
    func spacing(path: String) throws -> Spacing {
        let sizes = [physicalSizeX, physicalSizeY, physicalSizeZ]
        guard let unit = sizes.lazy.compactMap({ $0?.unit }).first else { return .unit }
        let values = try zip(["X", "Y", "Z"], sizes).map { axis, size -> Double in
            guard let size else { return 1 }
            guard let value = LengthUnit.convert(size.value, from: size.unit, to: unit) else {
                throw ScaleTileError(.unsupported, path, "the OME-XML gives PhysicalSize\(axis) in \(size.unit) and another axis in \(unit); ScaleTile cannot convert between them")
            }
            return value
        }
        return Spacing(x: values[0], y: values[1], z: values[2], unit: unit)
    }
}

/// Collects the first image's `Pixels` from XMLParser events.
///
/// An `NSObject` because XMLParser's delegate protocol requires one; used by one parse only.
private final class OMEXMLReader: NSObject, XMLParserDelegate {
    var metadata = OMEMetadata()
    var sawPixels = false
    /// A sentence finishing "the OME-XML in the first page's ImageDescription …".
    var problem: String?
    /// Elements started and not yet ended.
    var openElements = 0
    private var inPixels = false
    private var pixelsDone = false
    private var inTiffDataUUID = false
    private var uuidText = ""

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        openElements += 1
        switch element {
        case "OME":
            metadata.fileUUID = attributes["UUID"]
        case "BinaryOnly":
            metadata.companionFile = attributes["MetadataFile"] ?? "a companion file"
        case "Pixels" where !pixelsDone && !inPixels:
            inPixels = true
            sawPixels = true
            metadata.sizeX = int(attributes["SizeX"]) ?? 0
            metadata.sizeY = int(attributes["SizeY"]) ?? 0
            metadata.sizeZ = int(attributes["SizeZ"]) ?? 0
            metadata.sizeC = int(attributes["SizeC"]) ?? 0
            metadata.sizeT = int(attributes["SizeT"]) ?? 0
            metadata.dimensionOrder = attributes["DimensionOrder"] ?? ""
            metadata.type = attributes["Type"] ?? ""
            metadata.physicalSizeX = physicalSize(attributes, "PhysicalSizeX")
            metadata.physicalSizeY = physicalSize(attributes, "PhysicalSizeY")
            metadata.physicalSizeZ = physicalSize(attributes, "PhysicalSizeZ")
        case "TiffData" where inPixels:
            var entry = OMEMetadata.TiffData()
            entry.ifd = int(attributes["IFD"])
            entry.firstZ = int(attributes["FirstZ"]) ?? 0
            entry.firstC = int(attributes["FirstC"]) ?? 0
            entry.firstT = int(attributes["FirstT"]) ?? 0
            entry.planeCount = int(attributes["PlaneCount"])
            for (name, value) in [("IFD", entry.ifd), ("FirstZ", entry.firstZ), ("FirstC", entry.firstC),
                                  ("FirstT", entry.firstT), ("PlaneCount", entry.planeCount)] where (value ?? 0) < 0 {
                problem = problem ?? "has a TiffData with a negative \(name)"
            }
            metadata.tiffData.append(entry)
        case "UUID" where inPixels && !metadata.tiffData.isEmpty:
            inTiffDataUUID = true
            uuidText = ""
            metadata.tiffData[metadata.tiffData.count - 1].fileName = attributes["FileName"]
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inTiffDataUUID { uuidText += string }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        openElements -= 1
        switch element {
        case "Pixels" where inPixels:
            inPixels = false
            pixelsDone = true
        case "UUID" where inTiffDataUUID:
            inTiffDataUUID = false
            metadata.tiffData[metadata.tiffData.count - 1].uuid = uuidText.trimmingCharacters(in: .whitespacesAndNewlines)
        default:
            break
        }
    }

    private func int(_ text: String?) -> Int? {
        text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    private func physicalSize(_ attributes: [String: String], _ name: String) -> OMEMetadata.PhysicalSize? {
        guard let text = attributes[name] else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite else {
            problem = problem ?? "gives \(name)=\"\(text)\", which is not a positive number"
            return nil
        }
        // OME's default length unit is the micrometre.
        return .init(value: value, unit: LengthUnit.normalised(attributes[name + "Unit"] ?? "µm"))
    }
}

// MARK: - Writing

extension OMEMetadata {
    /// A minimal, valid OME-XML document for one image of `channels` × `slices` single-sample
    /// pages stored channel fastest (`XYCZT`) from the first page on.
    ///
    /// Nothing in it varies between runs (no UUID, no creation date), so equal patches give
    /// equal files. Returns nil when OME has no name for the sample type (64-bit integers).
    static func document(width: Int, height: Int, channels: Int, slices: Int, pixelType: PixelType, spacing: Spacing) -> String? {
        guard let type = typeName(of: pixelType) else { return nil }
        let unit = xmlEscaped(spacing.unit == "um" ? "\u{00B5}m" : spacing.unit)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"#
        xml += #"<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openmicroscopy.org/Schemas/OME/2016-06 http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd">"#
        xml += #"<Image ID="Image:0">"#
        xml += #"<Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="\#(type)""#
        xml += #" SizeX="\#(width)" SizeY="\#(height)" SizeZ="\#(slices)" SizeC="\#(channels)" SizeT="1""#
        xml += #" PhysicalSizeX="\#(spacing.x)" PhysicalSizeXUnit="\#(unit)""#
        xml += #" PhysicalSizeY="\#(spacing.y)" PhysicalSizeYUnit="\#(unit)""#
        xml += #" PhysicalSizeZ="\#(spacing.z)" PhysicalSizeZUnit="\#(unit)">"#
        for channel in 0..<channels {
            xml += #"<Channel ID="Channel:0:\#(channel)" SamplesPerPixel="1"/>"#
        }
        xml += #"<TiffData IFD="0" PlaneCount="\#(channels * slices)"/>"#
        xml += "</Pixels></Image></OME>"
        return xml
    }

    private static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
