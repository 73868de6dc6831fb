extension LabelSet {
    /// Reads YOLO detection labels: one `class cx cy w h` line per box.
    ///
    /// The four numbers are the box centre and size as fractions of the image width and height;
    /// they become pixels by multiplying with `imageSize`. Each value must lie in 0–1 (a
    /// millionth of slack allows for rounding): a larger value means the file holds pixel
    /// coordinates, which this format cannot tell apart from a wrong image size, so it is an
    /// error naming the line. Blank lines are skipped. Ids are the boxes' 1-based positions.
    ///
    /// - Parameters:
    ///   - text: the file's text.
    ///   - imageSize: the size of the image the boxes are normalised to (the scene's).
    ///   - classNames: names of class 0, 1, ...; without them, the class number is the name.
    /// - Throws: ``ScaleTileError`` `.invalidInput` (without a path) naming the line: wrong number
    ///   of values, a value that is not a number, a value outside 0–1, a class number that is not
    ///   a non-negative integer or has no name in `classNames`.
    public init(yolo text: String, imageSize: RasterSize, classNames: [String]? = nil) throws {
        var objects: [LabeledObject] = []
        var classNumbers = Set<Int>()
        for (lineIndex, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.isEmpty else { continue }
            let lineNumber = lineIndex + 1
            guard fields.count == 5 else {
                throw ScaleTileError(.invalidInput, nil,
                                     "line \(lineNumber) has \(fields.count) values, expected 5 (class cx cy w h)")
            }
            guard let classNumber = Int(fields[0]), classNumber >= 0 else {
                throw ScaleTileError(.invalidInput, nil,
                                     "line \(lineNumber): class \(LabelNumber.shown(fields[0])) is not a class number (0, 1, 2, ...)")
            }
            if let classNames, classNumber >= classNames.count {
                throw ScaleTileError(.invalidInput, nil,
                                     "line \(lineNumber): class \(classNumber), the class list has \(classNames.count.counted("name", "names"))")
            }
            var values: [Double] = []
            for (name, field) in zip(["cx", "cy", "w", "h"], fields.dropFirst()) {
                guard let value = LabelNumber.finite(field) else {
                    throw ScaleTileError(.invalidInput, nil, "line \(lineNumber): \(name) \(LabelNumber.shown(field)) is not a number")
                }
                guard value >= -Self.yoloSlack, value <= 1 + Self.yoloSlack else {
                    throw ScaleTileError(.invalidInput, nil,
                                         "line \(lineNumber): \(name) \(field) is outside 0–1 (YOLO values are fractions of the image size)")
                }
                values.append(value)
            }
            let width = values[2] * Double(imageSize.width), height = values[3] * Double(imageSize.height)
            let centreX = values[0] * Double(imageSize.width), centreY = values[1] * Double(imageSize.height)
            classNumbers.insert(classNumber)
            objects.append(LabeledObject(
                id: String(objects.count + 1),
                className: classNames?[classNumber] ?? String(classNumber),
                box: PixelBox(minX: centreX - width / 2, minY: centreY - height / 2,
                              maxX: centreX + width / 2, maxY: centreY + height / 2)))
        }
        self.init(objects: objects, classNames: classNames ?? classNumbers.sorted().map(String.init))
    }

    /// How far past 0–1 a YOLO value may stray through rounding.
    static let yoloSlack = 1e-6
}
