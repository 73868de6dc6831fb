import Foundation

extension LabelSet {
    /// Reads boxes from CSV text with a header row: `xmin`, `ymin`, `xmax`, `ymax` in pixels and
    /// a class column (`label`, `class`, `class_name` or `category`), in any order, names matched
    /// without regard to case. Other columns are allowed and ignored.
    ///
    /// When a column names images (`image_path`, `image`, `image_name`, `filename`, `file_name`),
    /// only the rows of the scene's image are kept: rows whose image has `imageName`'s file name,
    /// or failing that its name without extension (annotations made on a PNG export of a GeoTIFF).
    /// Without `imageName`, all rows must name the same image. Fields may be quoted as in
    /// RFC 4180; a quoted field does not span lines. Ids are the kept rows' 1-based positions.
    ///
    /// Rows are numbered as a spreadsheet shows them: the header is row 1.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` (without a path): no header, a missing
    ///   column, a row with the wrong number of columns, a coordinate that is not a number,
    ///   no rows for the image, or rows for several images and no `imageName`.
    public init(csvBoxes text: String, imageName: String?) throws {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (row: $0.offset + 1, text: $0.element) }
        lines.removeAll { $0.text.allSatisfy(\.isWhitespace) }
        guard let header = lines.first else {
            throw ScaleTileError(.invalidInput, nil, "no header row (xmin,ymin,xmax,ymax,label)")
        }
        let columnNames = try CSVRecord.fields(of: header.text, row: header.row)
            .map { $0.trimmingCharacters(in: CharacterSet.whitespaces.union(["\u{FEFF}"])).lowercased() }  // a BOM may lead
        func column(_ names: [String]) -> Int? { names.lazy.compactMap { columnNames.firstIndex(of: $0) }.first }
        var coordinateColumns: [Int] = []
        for name in ["xmin", "ymin", "xmax", "ymax"] {
            guard let index = column([name]) else {
                throw ScaleTileError(.invalidInput, nil,
                                     "the header has no \(name) column (it has \(columnNames.joined(separator: ", ")))")
            }
            coordinateColumns.append(index)
        }
        guard let classColumn = column(["label", "class", "class_name", "category"]) else {
            throw ScaleTileError(.invalidInput, nil,
                                 "the header has no label column (it has \(columnNames.joined(separator: ", ")))")
        }
        let imageColumn = column(["image_path", "image", "image_name", "filename", "file_name"])

        struct Row { var number: Int; var image: String?; var className: String; var box: PixelBox }
        var rows: [Row] = []
        for line in lines.dropFirst() {
            let fields = try CSVRecord.fields(of: line.text, row: line.row)
            guard fields.count == columnNames.count else {
                throw ScaleTileError(.invalidInput, nil,
                                     "row \(line.row) has \(fields.count) columns, expected \(columnNames.count)")
            }
            var corners: [Double] = []
            for (name, index) in zip(["xmin", "ymin", "xmax", "ymax"], coordinateColumns) {
                let field = fields[index].trimmingCharacters(in: .whitespaces)
                guard let value = LabelNumber.finite(field) else {
                    throw ScaleTileError(.invalidInput, nil, "row \(line.row): \(name) \"\(LabelNumber.shown(field))\" is not a number")
                }
                corners.append(value)
            }
            rows.append(Row(number: line.row, image: imageColumn.map { fields[$0].trimmingCharacters(in: .whitespaces) },
                            className: fields[classColumn].trimmingCharacters(in: .whitespaces),
                            box: PixelBox(minX: corners[0], minY: corners[1], maxX: corners[2], maxY: corners[3])))
        }

        if imageColumn != nil {
            let images = Set(rows.compactMap(\.image))
            if let imageName {
                let wanted = (imageName as NSString).lastPathComponent
                let stem = (wanted as NSString).deletingPathExtension
                var kept = rows.filter { ($0.image.map { ($0 as NSString).lastPathComponent }) == wanted }
                if kept.isEmpty {
                    kept = rows.filter { ($0.image.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }) == stem }
                }
                if kept.isEmpty && !rows.isEmpty {
                    let named = images.sorted().prefix(3).joined(separator: ", ") + (images.count > 3 ? ", ..." : "")
                    throw ScaleTileError(.invalidInput, nil, "no rows for image \(wanted) (the rows name \(named))")
                }
                rows = kept
            } else if images.count > 1 {
                throw ScaleTileError(.invalidInput, nil, "the rows name \(images.count) images; say which one the scene is")
            }
        }
        let objects = rows.enumerated().map { index, row in
            LabeledObject(id: String(index + 1), className: row.className, box: row.box)
        }
        self.init(objects: objects)
    }
}

/// Splitting one CSV line into fields, with RFC 4180 quoting (`"a, b"`, `""` for a quote).
enum CSVRecord {
    static func fields(of line: Substring, row: Int) throws -> [String] {
        var fields: [String] = []
        var field = ""
        var isQuoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if isQuoted {
                if character == "\"" {
                    // A doubled quote inside quotes is a literal quote; a single one ends the quoting.
                    var lookahead = characters
                    if lookahead.next() == "\"" { field.append("\""); characters = lookahead } else { isQuoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                isQuoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        guard !isQuoted else {
            throw ScaleTileError(.invalidInput, nil, "row \(row): a quoted field is not closed")
        }
        fields.append(field)
        return fields
    }
}
