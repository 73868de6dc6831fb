import Foundation
internal import CGDAL
import ScaleTileCore

extension LabelSet {
    /// Reads a label file of any supported format onto a scene's level-0 pixel grid, and
    /// checks it.
    ///
    /// The format is `options.format`, or found from the file's extension and first bytes
    /// (``LabelFormat/detect(fileName:leadingBytes:)``), or failing both, whatever GDAL opens
    /// it as (vector first, then raster). COCO, YOLO, Pascal VOC and CSV files are in pixels of
    /// the scene; vectors are in map coordinates (reprojected to the scene's CRS by OGR); label
    /// rasters must lie on the scene's grid (``CompanionGrid``).
    ///
    /// Then the checks of ``validated(imageSize:classList:outsideHint:)`` run. Every error is a
    /// ``ScaleTileError`` whose description is one line naming the file first
    /// (`labels.geojson: no objects`); warnings are returned, each naming the file.
    ///
    /// - Parameters:
    ///   - path: the label file.
    ///   - scene: the scene's grid, georeferencing and file name.
    ///   - options: the format and the choices some formats need.
    public static func load(path: String, scene: SceneGeometry, options: LabelReadOptions = LabelReadOptions()) throws -> LabelSet {
        // A file geodatabase (`.gdb`) is a folder; everything else must be a regular file.
        let isGeodatabase = (path as NSString).pathExtension.lowercased() == "gdb"
        try InputFile.check(path, expecting: isGeodatabase ? .fileOrFolder : .file, what: "a label file")
        return try attributing(to: path) {
            let format = try resolvedFormat(of: path, options.format)
            var outsideHint: String? = nil
            var labels: LabelSet
            switch format {
            case .vector:
                let reading = try VectorLabelReader(path: path, scene: scene, options: options).read()
                labels = reading.labels
                outsideHint = "probably the wrong CRS (labels: \(reading.labelCRSName), scene: \(scene.crsName))"
            case .raster:
                labels = try LabelRasterReader(path: path, scene: scene, connectivity: options.connectivity, budget: options.maxMemory).read()
            case .coco:
                labels = try LabelSet(coco: try contents(of: path), imageName: options.imageName ?? scene.fileName,
                                      sceneSize: scene.size)
            case .yolo:
                labels = try LabelSet(yolo: try text(of: path), imageSize: scene.size, classNames: options.classNames)
            case .voc:
                labels = try LabelSet(pascalVOC: try contents(of: path), sceneSize: scene.size)
            case .csv:
                labels = try LabelSet(csvBoxes: try text(of: path), imageName: options.imageName ?? scene.fileName)
            case .auto:
                preconditionFailure("resolvedFormat never returns .auto")
            }
            if labels.objects.isEmpty && !labels.warnings.isEmpty {
                // Say why nothing is left: the reader's warnings hold the reasons.
                let reasons = labels.warnings.map(\.message).joined(separator: "; ")
                throw ScaleTileError(.invalidInput, nil, "no objects (\(reasons))")
            }
            // YOLO class numbers were already named from the list; every other format is checked against it.
            let classList = format == .yolo ? nil : options.classNames
            return try labels.validated(imageSize: scene.size, classList: classList, outsideHint: outsideHint)
                .attributingWarnings(to: path)
        }
    }

    /// The format to read `path` as: the one given, else the one its name and first bytes
    /// show, else the one GDAL opens it as.
    public static func resolvedFormat(of path: String, _ requested: LabelFormat) throws -> LabelFormat {
        guard requested == .auto else { return requested }
        let head = FileHandle(forReadingAtPath: path).map { handle in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 65_536)) ?? Data()
        } ?? Data()
        if let format = LabelFormat.detect(fileName: path, leadingBytes: head) { return format }
        if opens(path, as: GDAL_OF_VECTOR) { return .vector }
        if opens(path, as: GDAL_OF_RASTER) { return .raster }
        throw ScaleTileError(.invalidInput, nil,
                             "not a label format ScaleTile knows (COCO .json, YOLO .txt, Pascal VOC .xml, CSV boxes, a vector file or a label raster)")
    }

    /// Whether GDAL opens `path` with the given kind of driver (its messages kept quiet).
    private static func opens(_ path: String, as kind: Int32) -> Bool {
        GDALRuntime.ensureConfigured()
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        defer { st_gdal_pop_errors() }
        guard let handle = GDALOpenEx(path, UInt32(kind | GDAL_OF_READONLY), nil, nil, nil) else { return false }
        GDALClose(handle)
        return true
    }

    private static func contents(of path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScaleTileError(.io, nil, "cannot be read")
        }
        return data
    }

    /// The file as UTF-8 text (invalid bytes replaced, so a stray byte names its row, not the file).
    private static func text(of path: String) throws -> String {
        String(decoding: try contents(of: path), as: UTF8.self)
    }
}
