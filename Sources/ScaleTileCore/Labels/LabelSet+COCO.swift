import Foundation

extension LabelSet {
    /// Reads the objects of one image of a COCO detection file.
    ///
    /// The image is the one whose `file_name` ends in `imageName`'s file name, or the file's only
    /// image (with a warning when its name differs). Each annotation of that image becomes an
    /// object: its box is the annotation's `bbox`, its class the name of its category, its id the
    /// annotation `id` (or its 1-based position in the `annotations` list when it has none).
    /// A single-polygon `segmentation` becomes the object's polygon; an annotation with several
    /// polygon parts or a run-length mask keeps only its box (a warning gives the count), since
    /// ``LabeledObject/polygon`` holds one polygon.
    ///
    /// - Parameters:
    ///   - data: the JSON text.
    ///   - imageName: the scene's file name; nil when the file must have a single image.
    ///   - sceneSize: the scene's size, to warn when the COCO image has another size.
    /// - Throws: ``ScaleTileError`` `.invalidInput` (without a path) for broken JSON (with the
    ///   line and column), a wrong structure (with the key path), no matching image, or a
    ///   category id no category defines.
    public init(coco data: Data, imageName: String?, sceneSize: RasterSize? = nil) throws {
        let dataset: COCODataset
        do {
            dataset = try JSONDecoder().decode(COCODataset.self, from: data)
        } catch let error as DecodingError {
            throw ScaleTileError(.invalidInput, nil, JSONProblem.describe(error, in: data))
        }
        try self.init(coco: dataset, imageName: imageName, sceneSize: sceneSize)
    }

    /// Reads the objects of one image of a decoded COCO dataset, as the form taking the JSON text does.
    public init(coco dataset: COCODataset, imageName: String?, sceneSize: RasterSize? = nil) throws {
        var warnings: [LabelWarning] = []
        let image = try Self.chooseImage(in: dataset.images, named: imageName, warnings: &warnings)
        if let sceneSize, let width = image.width, let height = image.height,
           width != sceneSize.width || height != sceneSize.height {
            warnings.append(LabelWarning(
                "image \(image.fileName) is \(width)x\(height) in the labels, the scene is \(sceneSize)"))
        }

        let categories = dataset.categories.sorted { $0.id < $1.id }
        let namesByID = Dictionary(categories.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var objects: [LabeledObject] = []
        var outlinesDropped = 0
        for (index, annotation) in dataset.annotations.enumerated() where annotation.imageID == image.id {
            let id = annotation.id.map(String.init) ?? String(index + 1)
            guard let className = namesByID[annotation.categoryID] else {
                throw ScaleTileError(.invalidInput, nil,
                                     "annotation \(id) has category_id \(annotation.categoryID), which no category defines")
            }
            guard annotation.bbox.count == 4 else {
                throw ScaleTileError(.invalidInput, nil,
                                     "annotation \(id): bbox has \(annotation.bbox.count) numbers, expected 4 (x, y, width, height)")
            }
            let b = annotation.bbox
            var polygon: [[PixelPoint]]? = nil
            switch annotation.segmentation {
            case .polygons(let parts) where parts.count == 1:
                polygon = [try Self.ring(fromFlat: parts[0], annotation: id)]
            case .polygons(let parts) where parts.count > 1:
                outlinesDropped += 1
            case .runLengthMask:
                outlinesDropped += 1
            case .polygons, nil:
                break
            }
            objects.append(LabeledObject(id: id, className: className,
                                         box: PixelBox(x: b[0], y: b[1], width: b[2], height: b[3]), polygon: polygon))
        }
        if outlinesDropped > 0 {
            warnings.append(LabelWarning(
                "\(outlinesDropped.counted("annotation", "annotations")) with several polygon parts or a mask kept as boxes only"))
        }
        self.init(objects: objects, classNames: categories.map(\.name), warnings: warnings)
    }

    /// The image `imageName` names, or the only one.
    private static func chooseImage(in images: [COCODataset.Image], named imageName: String?,
                                    warnings: inout [LabelWarning]) throws -> COCODataset.Image {
        guard !images.isEmpty else {
            throw ScaleTileError(.invalidInput, nil, "no images: a COCO file lists its images under \"images\"")
        }
        guard let imageName else {
            guard images.count == 1 else {
                throw ScaleTileError(.invalidInput, nil, "has \(images.count) images; say which one the scene is")
            }
            return images[0]
        }
        let wanted = (imageName as NSString).lastPathComponent
        if let match = images.first(where: { ($0.fileName as NSString).lastPathComponent == wanted }) {
            return match
        }
        guard images.count == 1 else {
            throw ScaleTileError(.invalidInput, nil, "none of the \(images.count) images is named \(wanted)")
        }
        warnings.append(LabelWarning("the only image is named \(images[0].fileName), not \(wanted); its annotations are used"))
        return images[0]
    }

    /// A ring from COCO's flat `x1, y1, x2, y2, ...` list.
    private static func ring(fromFlat coordinates: [Double], annotation id: String) throws -> [PixelPoint] {
        guard coordinates.count % 2 == 0, coordinates.count >= 6 else {
            throw ScaleTileError(.invalidInput, nil,
                                 "annotation \(id): a segmentation polygon needs at least 3 x, y pairs, it has \(coordinates.count) numbers")
        }
        return stride(from: 0, to: coordinates.count, by: 2).map { PixelPoint(x: coordinates[$0], y: coordinates[$0 + 1]) }
    }
}

/// Messages for JSON that does not decode, with the line or key path of the problem.
enum JSONProblem {
    /// `not valid JSON (line 3, column 16)` for syntax errors; `annotations[2].bbox: expected
    /// numbers` for structure errors.
    static func describe(_ error: DecodingError, in data: Data) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON" + (syntaxErrorPosition(in: data).map { " (\($0))" } ?? "")
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "the top level" : path(context.codingPath)
            return "\(place) has no \"\(key.stringValue)\""
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type))"
        @unknown default:
            return "not a COCO file (\(error))"
        }
    }

    /// `annotations[2].bbox[1]`.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Double.Type: return "a number"
        case is String.Type: return "text"
        case is [Double].Type, is [[Double]].Type: return "a list of numbers"
        default: return "\(type)"
        }
    }

    /// Where the syntax error is. JSONDecoder on Linux does not say; JSONSerialization gives the
    /// character offset, which is turned into a line and column here.
    private static func syntaxErrorPosition(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let text = "\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? "")"
            guard let range = text.range(of: "character "),
                  let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) else { return nil }
            let before = data.prefix(offset)
            let line = before.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
            return "line \(line), column \(offset - (lineStart - data.startIndex) + 1)"
        }
    }
}
