import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension LabelSet {
    /// Reads a Pascal VOC annotation file: one `<object>` per box, with `<name>` and
    /// `<bndbox>` (`xmin`, `ymin`, `xmax`, `ymax`).
    ///
    /// Coordinates are taken as pixel edges, as written: the same numbers as a CSV of the same
    /// boxes. (The original VOC devkit counted pixels from 1; the tools that write VOC today —
    /// LabelImg, CVAT, DeepForest — write the numbers they hold, so no shift is applied.)
    /// Ids are the objects' 1-based positions.
    ///
    /// - Parameters:
    ///   - data: the XML text.
    ///   - sceneSize: the scene's size, to warn when the file's `<size>` differs.
    /// - Throws: ``ScaleTileError`` `.invalidInput` (without a path): broken XML with its line,
    ///   a root element other than `<annotation>`, an object without a name or a coordinate,
    ///   a coordinate that is not a number.
    public init(pascalVOC data: Data, sceneSize: RasterSize? = nil) throws {
        try XMLText.check(data)
        let reader = PascalVOCReader()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse(), reader.problem == nil else {
            if let problem = reader.problem { throw ScaleTileError(.invalidInput, nil, problem) }
            throw ScaleTileError(.invalidInput, nil,
                                 "not valid XML (line \(parser.lineNumber), column \(parser.columnNumber))")
        }
        guard reader.rootName == "annotation" else {
            throw ScaleTileError(.invalidInput, nil,
                                 "not a Pascal VOC file: the root element is <\(reader.rootName ?? "")>, expected <annotation>")
        }

        var warnings: [LabelWarning] = []
        if let sceneSize, let width = reader.imageWidth.flatMap(Int.init), let height = reader.imageHeight.flatMap(Int.init),
           width != sceneSize.width || height != sceneSize.height {
            warnings.append(LabelWarning("the annotated image is \(width)x\(height), the scene is \(sceneSize)"))
        }
        var objects: [LabeledObject] = []
        for (index, element) in reader.objects.enumerated() {
            let position = index + 1
            guard let name = element.name, !name.isEmpty else {
                throw ScaleTileError(.invalidInput, nil, "object \(position) has no <name>")
            }
            var corners: [Double] = []
            for key in ["xmin", "ymin", "xmax", "ymax"] {
                guard let text = element.box[key] else {
                    throw ScaleTileError(.invalidInput, nil, "object \(position) (\(name)): <bndbox> has no <\(key)>")
                }
                guard let value = LabelNumber.finite(text) else {
                    throw ScaleTileError(.invalidInput, nil, "object \(position) (\(LabelNumber.shown(name))): <\(key)> \(LabelNumber.shown(text)) is not a number")
                }
                corners.append(value)
            }
            objects.append(LabeledObject(id: String(position), className: name,
                                         box: PixelBox(minX: corners[0], minY: corners[1], maxX: corners[2], maxY: corners[3])))
        }
        self.init(objects: objects, warnings: warnings)
    }
}

/// Collects the parts of a VOC file an `XMLParser` reports, element by element.
///
/// Only the elements ScaleTile uses are kept: the root's name, `size/width|height`, and per
/// `object` its `name` and `bndbox` coordinates. Text is gathered per element because the
/// parser may deliver it in pieces.
private final class PascalVOCReader: NSObject, XMLParserDelegate {
    struct ObjectElement {
        var name: String?
        var box: [String: String] = [:]
    }

    private(set) var rootName: String?
    private(set) var imageWidth: String?
    private(set) var imageHeight: String?
    private(set) var objects: [ObjectElement] = []
    private(set) var problem: String?
    private var path: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if path.isEmpty { rootName = elementName }
        path.append(elementName)
        text = ""
        if path == ["annotation", "object"] { objects.append(ObjectElement()) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch path {
        case ["annotation", "size", "width"]: imageWidth = value
        case ["annotation", "size", "height"]: imageHeight = value
        case ["annotation", "object", "name"]: objects[objects.count - 1].name = value
        case ["annotation", "object", "bndbox", "xmin"], ["annotation", "object", "bndbox", "ymin"],
             ["annotation", "object", "bndbox", "xmax"], ["annotation", "object", "bndbox", "ymax"]:
            objects[objects.count - 1].box[elementName] = value
        default: break
        }
        path.removeLast()
        text = ""
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if problem == nil {
            problem = "not valid XML (line \(parser.lineNumber), column \(parser.columnNumber))"
        }
    }
}
