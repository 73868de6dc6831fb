import Foundation
import Testing
import ScaleTileCore
import TestSupport

/// Seeded mutation tests of the pure label parsers: thousands of mutated COCO, YOLO, Pascal VOC
/// and CSV files, each either read and checked into objects every later step can use, or
/// refused with a ``ScaleTileError`` naming the file — never a trap, never another error type.
@Suite("Fuzz: label parsers")
struct FuzzLabelParserTests {
    static let scene = RasterSize(width: 791, height: 718)
    static let casesPerParser = FuzzBudget.cases(2_500)

    static let coco = """
    {"images": [{"id": 1, "file_name": "scene.tif", "width": 791, "height": 718}],
     "annotations": [
       {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 20, 30, 40], "segmentation": [[10, 20, 40, 20, 40, 60]]},
       {"id": 2, "image_id": 1, "category_id": 2, "bbox": [700.5, 600, 12, 9]}],
     "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "truck"}]}
    """
    static let yolo = "0 0.5 0.5 0.1 0.2\n1 0.05 0.9 0.02 0.04\n"
    static let voc = """
    <annotation><size><width>791</width><height>718</height></size>
    <object><name>car</name><bndbox><xmin>10</xmin><ymin>20</ymin><xmax>40</xmax><ymax>60</ymax></bndbox></object>
    <object><name>truck</name><bndbox><xmin>700.5</xmin><ymin>600</ymin><xmax>712.5</xmax><ymax>609</ymax></bndbox></object>
    </annotation>
    """
    static let csv = "image_path,xmin,ymin,xmax,ymax,label\nscene.tif,10,20,40,60,car\nscene.tif,700.5,600,712.5,609,truck\n"

    /// What a label load does after parsing, with the same file attribution.
    static func read(_ data: Data, as format: LabelFormat, file: String) throws -> LabelSet {
        try attributing(to: file) {
            let labels: LabelSet
            switch format {
            case .coco: labels = try LabelSet(coco: data, imageName: "scene.tif", sceneSize: scene)
            case .yolo: labels = try LabelSet(yolo: String(decoding: data, as: UTF8.self), imageSize: scene)
            case .voc: labels = try LabelSet(pascalVOC: data, sceneSize: scene)
            default: labels = try LabelSet(csvBoxes: String(decoding: data, as: UTF8.self), imageName: "scene.tif")
            }
            return try labels.validated(imageSize: scene)
        }
    }

    /// Runs `count` mutations of `text`; returns how many were read and how many refused.
    static func mutate(_ text: String, as format: LabelFormat, seed: UInt64) -> (read: Int, refused: Int) {
        let file = "labels.\(format.rawValue)"
        var mutator = InputMutator(text, seed: FuzzBudget.seed(seed))
        var readCount = 0, refused = 0
        let trace = ProcessInfo.processInfo.environment["SCALETILE_FUZZ_TRACE"] != nil
        for index in 0..<casesPerParser {
            let input = mutator.next()
            // To find the input of a crash: SCALETILE_FUZZ_TRACE=1 writes each case before it runs.
            if trace { try? input.write(to: URL(fileURLWithPath: "/tmp/scaletile-fuzz-\(format.rawValue)-\(index)")) }
            do {
                let labels = try Self.read(input, as: format, file: file)
                // What every later step does with an object: its window and size must exist.
                for object in labels.objects {
                    let window = object.box.enclosingWindow
                    #expect(window.width >= 1 && window.height >= 1, "case \(index)")
                    #expect(object.size.isFinite, "case \(index): object \(object.id) has size \(object.size)")
                    #expect(window.x > -2 * scene.width && window.maxX < 3 * scene.width, "case \(index): \(window)")
                }
                readCount += 1
            } catch let error as ScaleTileError {
                #expect(error.description.hasPrefix(file + ": "), "case \(index): \(error)")
                #expect(!error.description.contains("\n") && !error.description.contains("\u{0}"), "case \(index): \(error)")
                refused += 1
            } catch {
                Issue.record("case \(index): \(type(of: error)) \(error), not a ScaleTileError")
            }
        }
        return (readCount, refused)
    }

    // Both outcomes must occur, or the mutations are not reaching the parser.
    @Test func coco() { let r = Self.mutate(Self.coco, as: .coco, seed: 11); #expect(r.read > 20 && r.refused > 20, "\(r)") }
    @Test func yolo() { let r = Self.mutate(Self.yolo, as: .yolo, seed: 12); #expect(r.read > 20 && r.refused > 20, "\(r)") }
    @Test func voc() { let r = Self.mutate(Self.voc, as: .voc, seed: 13); #expect(r.read > 20 && r.refused > 20, "\(r)") }
    @Test func csv() { let r = Self.mutate(Self.csv, as: .csv, seed: 14); #expect(r.read > 20 && r.refused > 20, "\(r)") }
}

/// Hostile numbers in label files, case by case: each refused with the file, the record and the value.
@Suite("Hostile: label numbers")
struct HostileLabelNumberTests {
    static let scene = FuzzLabelParserTests.scene

    // strtod stops at a NUL, so `Double("12\0junk")` is 12: the parsers must not accept it.
    @Test(arguments: ["12\u{0}", "1\u{0}5", "\u{0}3"])
    func nulInsideANumber(_ value: String) throws {
        let csv = "xmin,ymin,xmax,ymax,label\n\(value),20,40,60,car\n"
        let error = #expect(throws: ScaleTileError.self) { try FuzzLabelParserTests.read(Data(csv.utf8), as: .csv, file: "b.csv") }
        #expect(error?.description.hasPrefix("b.csv: row 2: xmin \"") == true, "\(String(describing: error))")
        #expect(error?.description.contains("\\0") == true)
        let yolo = "0 0.5 \(value == "\u{0}3" ? "\u{0}0.3" : "0.\(value)") 0.1 0.1\n"
        let yoloError = #expect(throws: ScaleTileError.self) { try FuzzLabelParserTests.read(Data(yolo.utf8), as: .yolo, file: "b.txt") }
        #expect(yoloError?.description.hasPrefix("b.txt: line 1: cy") == true, "\(String(describing: yoloError))")
        let voc = "<annotation><object><name>car</name><bndbox><xmin>\(value)</xmin><ymin>1</ymin><xmax>40</xmax><ymax>60</ymax></bndbox></object></annotation>"
        let vocError = #expect(throws: ScaleTileError.self) { try FuzzLabelParserTests.read(Data(voc.utf8), as: .voc, file: "b.xml") }
        #expect(vocError?.description.hasPrefix("b.xml: ") == true, "\(String(describing: vocError))")
    }

    // Coordinates past the raster by more than its size: 791 wide → anything past 1582 or
    // before -791 on X. Those used to reach `Int(_:)` and trap. (A box wholly outside is only
    // dropped with a warning, so these boxes still reach into the scene.)
    @Test(arguments: [("xmax", "1e300", "1e+300"), ("xmin", "-1e300", "-1e+300"), ("xmax", "9223372036854775808", "9.223372036854776e+18"),
                      ("xmax", "1583", "1583.0"), ("xmin", "-792", "-792.0")])
    func coordinatesFarPastTheScene(_ corner: String, _ value: String, _ shown: String) throws {
        let row = corner == "xmax" ? "10,20,\(value),60" : "\(value),20,40,60"
        let csv = "xmin,ymin,xmax,ymax,label\n5,5,9,9,car\n\(row),car\n"
        let error = #expect(throws: ScaleTileError.self) { try FuzzLabelParserTests.read(Data(csv.utf8), as: .csv, file: "b.csv") }
        #expect(error?.kind == .invalidInput)
        #expect(error?.description == "b.csv: object 2 (car): \(corner) \(shown) lies past the 791x718 image by more than its size")
        guard corner == "xmax" else { return }
        let coco = #"{"images": [{"id": 1, "file_name": "scene.tif"}], "annotations": [{"id": 4, "image_id": 1, "category_id": 1, "bbox": [10, 10, 5, \#(value)]}], "categories": [{"id": 1, "name": "ship"}]}"#
        let cocoError = #expect(throws: ScaleTileError.self) { try FuzzLabelParserTests.read(Data(coco.utf8), as: .coco, file: "c.json") }
        #expect(cocoError?.description.hasPrefix("c.json: object 4 (ship): ymax ") == true, "\(String(describing: cocoError))")
    }

    // XML that FoundationXML would trap on, or expand without bound, is refused first.
    @Test(arguments: [("<annotation><size><width>7\u{0}</width></size></annotation>", "line 1: control character 0x0"),
                      ("<annotation>\n<object><name>car</name><bndbox><xma\u{FFFD}x>1</xmax></bndbox></object></annotation>", "line 2: bytes that are not UTF-8"),
                      ("<?xml version=\"1.0\"?>\n<?p:ue8t06?><annotation></annotation>", "line 2: a processing instruction without data"),
                      ("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n<annotation>&b;</annotation>", "line 2: entity declarations are not allowed")])
    func hostileXML(_ text: String, _ problem: String) throws {
        // U+FFFD stands for a broken byte: swapped for 0xED (a UTF-8 lead byte without its continuation).
        var bytes = Array(text.utf8)
        if let index = bytes.firstIndex(of: 0xEF) { bytes.replaceSubrange(index..<(index + 3), with: [0xED]) }
        let error = #expect(throws: ScaleTileError.self) { try FuzzLabelParserTests.read(Data(bytes), as: .voc, file: "a.xml") }
        #expect(error?.description.hasPrefix("a.xml: not valid XML (\(problem)") == true, "\(String(describing: error))")
    }

    // Just inside the bound is still read (and merely warned about when wholly outside).
    @Test func coordinatesWithinTheSlackAreRead() throws {
        let csv = "xmin,ymin,xmax,ymax,label\n10,20,1582,60,car\n1000,5,1100,9,car\n"
        let labels = try FuzzLabelParserTests.read(Data(csv.utf8), as: .csv, file: "b.csv")
        #expect(labels.objects.map(\.id) == ["1"])
        #expect(labels.warnings.map(\.message) == ["1 object entirely outside the 791x718 image dropped"])
    }

    // Deep nesting is refused by the JSON reader, not a stack overflow.
    @Test func deeplyNestedJSON() throws {
        let depth = 100_000
        let text = #"{"images": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let error = #expect(throws: ScaleTileError.self) { try FuzzLabelParserTests.read(Data(text.utf8), as: .coco, file: "deep.json") }
        #expect(error?.description.hasPrefix("deep.json: ") == true)
    }

    // Non-finite coordinates are named, not dropped as if they were empty boxes.
    @Test func nonFiniteCoordinate() throws {
        let labels = LabelSet(objects: [LabeledObject(id: "a", className: "car", box: PixelBox(minX: .nan, minY: 1, maxX: 3, maxY: 4))])
        let error = #expect(throws: ScaleTileError.self) { try labels.validated(imageSize: Self.scene) }
        #expect(error?.message == "object a (car): xmin nan is not a finite number")
    }
}
