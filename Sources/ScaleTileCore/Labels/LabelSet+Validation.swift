extension LabelSet {
    /// The checks every label format shares, run once the labels are in level-0 pixels.
    ///
    /// - An empty label set is an error (`no objects`), not a crash further on.
    /// - A coordinate (box corner or polygon vertex) that is not finite is an error naming the
    ///   object and the value.
    /// - With a class list, classes outside it are an error naming each one and its count; the
    ///   list becomes the set's class list, in its order.
    /// - Boxes with zero or negative size (or non-finite corners) are dropped, with a warning
    ///   giving their count; if that leaves nothing, it is an error.
    /// - Objects entirely outside the `imageSize` rectangle are dropped with a warning giving
    ///   their count. When *every* object is outside, the labels almost certainly belong to
    ///   another image or CRS: that is an error, and `outsideHint` (for instance the two CRSs)
    ///   is appended to its message.
    /// - Otherwise (the labels do belong to this image), a coordinate lying past the image by
    ///   more than the image's own size on its axis is an error naming the object and the value:
    ///   such numbers are broken records, and converting them to pixels would trap.
    ///
    /// Errors are ``ScaleTileError`` `.invalidInput` without a path; readers attribute them to
    /// the label file.
    public func validated(imageSize: RasterSize, classList: [String]? = nil,
                          outsideHint: String? = nil) throws -> LabelSet {
        guard !objects.isEmpty else {
            throw ScaleTileError(.invalidInput, nil, "no objects")
        }
        try checkCoordinateRanges(imageSize: imageSize, finiteOnly: true)
        var result = self

        if let classList {
            let known = Set(classList)
            let unknownCounts = objects.filter { !known.contains($0.className) }
                .reduce(into: [String: Int]()) { $0[$1.className, default: 0] += 1 }
            if !unknownCounts.isEmpty {
                let listed = unknownCounts.sorted { $0.key < $1.key }
                    .map { "\($0.key) (\($0.value.counted("object", "objects")))" }
                throw ScaleTileError(.invalidInput, nil,
                                     "\(unknownCounts.count.counted("class", "classes", shown: false)) not in the class list: "
                                     + listed.joined(separator: ", "))
            }
            result.classNames = classList
        }

        let sized = result.objects.filter { $0.box.hasPositiveSize }
        let degenerate = result.objects.count - sized.count
        guard !sized.isEmpty else {
            throw ScaleTileError(.invalidInput, nil,
                                 "no objects: all \(degenerate.counted("box", "boxes")) have zero or negative size")
        }
        if degenerate > 0 {
            result.warnings.append(LabelWarning("\(degenerate.counted("box", "boxes")) with zero or negative size dropped"))
        }

        let image = PixelBox(minX: 0, minY: 0, maxX: Double(imageSize.width), maxY: Double(imageSize.height))
        let inside = sized.filter { $0.box.overlaps(image) }
        let outside = sized.count - inside.count
        guard !inside.isEmpty else {
            let all = sized.count == 1 ? "the only object lies" : "all \(sized.count) objects lie"
            let hint = outsideHint.map { ": \($0)" } ?? ""
            throw ScaleTileError(.invalidInput, nil, "\(all) outside the \(imageSize) image\(hint)")
        }
        try LabelSet(objects: sized).checkCoordinateRanges(imageSize: imageSize, finiteOnly: false)
        if outside > 0 {
            result.warnings.append(LabelWarning(
                "\(outside.counted("object", "objects")) entirely outside the \(imageSize) image dropped"))
        }
        result.objects = inside
        return result
    }
}

extension LabelSet {
    /// Throws for the first coordinate outside `[-size, 2·size]` on its axis (or not finite).
    func checkCoordinateRanges(imageSize: RasterSize, finiteOnly: Bool) throws {
        let width = Double(Swift.max(1, imageSize.width)), height = Double(Swift.max(1, imageSize.height))
        func check(_ value: Double, _ name: String, axisSize: Double, _ object: LabeledObject) throws {
            guard !(value.isFinite && (finiteOnly || value >= -axisSize && value <= 2 * axisSize)) else { return }
            let problem = value.isFinite
                ? "lies past the \(imageSize) image by more than its size" : "is not a finite number"
            throw ScaleTileError(.invalidInput, nil, "object \(object.id) (\(object.className)): \(name) \(value) \(problem)")
        }
        for object in objects {
            try check(object.box.minX, "xmin", axisSize: width, object)
            try check(object.box.maxX, "xmax", axisSize: width, object)
            try check(object.box.minY, "ymin", axisSize: height, object)
            try check(object.box.maxY, "ymax", axisSize: height, object)
            for ring in object.polygon ?? [] {
                for point in ring {
                    try check(point.x, "polygon x", axisSize: width, object)
                    try check(point.y, "polygon y", axisSize: height, object)
                }
            }
        }
    }
}

extension PixelBox {
    /// Whether every corner is finite and the box has a positive width and height.
    var hasPositiveSize: Bool {
        minX.isFinite && minY.isFinite && maxX.isFinite && maxY.isFinite && width > 0 && height > 0
    }

    /// Whether the two boxes share some area (touching edges do not count).
    func overlaps(_ other: PixelBox) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}

extension Int {
    /// `1 box`, `3 boxes`: a count with its noun, for messages. With `shown: false`, the noun alone.
    package func counted(_ singular: String, _ plural: String, shown: Bool = true) -> String {
        let noun = self == 1 ? singular : plural
        return shown ? "\(self) \(noun)" : noun
    }
}
