import Foundation
import Testing
import ScaleTileCore

/// The pure label parsers, on texts written here: no files, no GDAL.
@Suite("Label parsers")
struct LabelParserTests {
    // MARK: COCO

    /// Two images, two categories listed out of id order, one annotation with a polygon, one
    /// for another image, one with a fractional box.
    static let coco = """
    {"info": {"description": "hand-written"},
     "images": [{"id": 7, "file_name": "tiles/scene.tif", "width": 100, "height": 80},
                {"id": 8, "file_name": "other.tif", "width": 100, "height": 80}],
     "annotations": [
       {"id": 11, "image_id": 7, "category_id": 2, "bbox": [10, 20, 30, 40], "area": 600, "iscrowd": 0,
        "segmentation": [[10, 20, 40, 20, 40, 60]]},
       {"id": 12, "image_id": 8, "category_id": 1, "bbox": [0, 0, 5, 5]},
       {"id": 13, "image_id": 7, "category_id": 1, "bbox": [50.5, 5, 4, 6]}],
     "categories": [{"id": 2, "name": "truck"}, {"id": 1, "name": "car", "supercategory": "vehicle"}]}
    """

    // Expected, read off the text above: image 7 is `scene.tif`; its annotations are 11 and 13.
    // bbox [x, y, w, h] → [x, x + w) × [y, y + h): 11 → (10, 20)–(40, 60), 13 → (50.5, 5)–(54.5, 11).
    // Classes by category id: 1 car, 2 truck.
    @Test func cocoPicksTheSceneImageAndNamesCategories() throws {
        let labels = try LabelSet(coco: Data(Self.coco.utf8), imageName: "/data/scene.tif", sceneSize: RasterSize(width: 100, height: 80))
        #expect(labels.objects.map(\.id) == ["11", "13"])
        #expect(labels.objects.map(\.className) == ["truck", "car"])
        #expect(labels.objects[0].box == PixelBox(minX: 10, minY: 20, maxX: 40, maxY: 60))
        #expect(labels.objects[1].box == PixelBox(minX: 50.5, minY: 5, maxX: 54.5, maxY: 11))
        #expect(labels.objects[0].polygon == [[PixelPoint(x: 10, y: 20), PixelPoint(x: 40, y: 20), PixelPoint(x: 40, y: 60)]])
        #expect(labels.objects[1].polygon == nil)
        #expect(labels.classNames == ["car", "truck"])
        #expect(labels.warnings.isEmpty)
    }

    @Test func cocoWithSeveralImagesNeedsAName() throws {
        let error = #expect(throws: ScaleTileError.self) { try LabelSet(coco: Data(Self.coco.utf8), imageName: nil) }
        #expect(error?.message == "has 2 images; say which one the scene is")
        let missing = #expect(throws: ScaleTileError.self) { try LabelSet(coco: Data(Self.coco.utf8), imageName: "nope.tif") }
        #expect(missing?.message == "none of the 2 images is named nope.tif")
    }

    // A file with one image serves a scene of another name, with a warning; a size mismatch warns too.
    @Test func cocoWithOneImageServesAnyScene() throws {
        let text = #"{"images": [{"id": 1, "file_name": "a.png", "width": 50, "height": 50}],"#
            + #""annotations": [{"image_id": 1, "category_id": 3, "bbox": [1, 2, 3, 4]}], "categories": [{"id": 3, "name": "ship"}]}"#
        let labels = try LabelSet(coco: Data(text.utf8), imageName: "scene.tif", sceneSize: RasterSize(width: 60, height: 50))
        // No annotation id: the 1-based position in the annotations list.
        #expect(labels.objects == [LabeledObject(id: "1", className: "ship", box: PixelBox(minX: 1, minY: 2, maxX: 4, maxY: 6))])
        #expect(labels.warnings.map(\.message) == [
            "the only image is named a.png, not scene.tif; its annotations are used",
            "image a.png is 50x50 in the labels, the scene is 60x50",
        ])
    }

    // A written file reads back as the objects it was written from.
    @Test func cocoRoundTrip() throws {
        let dataset = COCODataset(
            images: [COCODataset.Image(id: 1, fileName: "scene.tif", width: 64, height: 64)],
            annotations: [
                COCODataset.Annotation(id: 5, imageID: 1, categoryID: 1, bbox: [1.5, 2, 3, 4],
                                       segmentation: .polygons([[1.5, 2, 4.5, 2, 4.5, 6, 1.5, 6]]), area: 12, iscrowd: 0),
                COCODataset.Annotation(id: 6, imageID: 1, categoryID: 2, bbox: [10, 10, 8, 8],
                                       segmentation: .runLengthMask(size: [64, 64], counts: .compressed("abc")), iscrowd: 1),
            ],
            categories: [COCODataset.Category(id: 1, name: "car"), COCODataset.Category(id: 2, name: "crowd")])
        let data = try JSONEncoder().encode(dataset)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"file_name\"") && text.contains("\"image_id\"") && text.contains("\"category_id\""))
        #expect(try JSONDecoder().decode(COCODataset.self, from: data) == dataset)
        let labels = try LabelSet(coco: data, imageName: "scene.tif")
        #expect(labels.objects.map(\.id) == ["5", "6"])
        #expect(labels.objects[0].box == PixelBox(minX: 1.5, minY: 2, maxX: 4.5, maxY: 6))
        #expect(labels.objects[0].polygon?.first?.count == 4)
        // The mask cannot be a polygon: the object keeps its box, and a warning says so.
        #expect(labels.objects[1].polygon == nil)
        #expect(labels.warnings.map(\.message) == ["1 annotation with several polygon parts or a mask kept as boxes only"])
    }

    // The syntax error is the doubled comma: line 3, column 16 (counted by hand in the text).
    @Test func cocoSyntaxErrorGivesItsLine() {
        let text = "{\n \"images\": [1,2],\n \"bbox\": [1, 2,, 3]\n}"
        let error = #expect(throws: ScaleTileError.self) { try LabelSet(coco: Data(text.utf8), imageName: nil) }
        #expect(error?.message == "not valid JSON (line 3, column 16)")
    }

    @Test func cocoStructureErrorsNameTheKey() {
        let wrongType = #"{"images": [{"id": 1, "file_name": "a.tif"}], "annotations": [{"image_id": 1, "category_id": 1, "bbox": [1, "x", 2, 3]}]}"#
        let error = #expect(throws: ScaleTileError.self) { try LabelSet(coco: Data(wrongType.utf8), imageName: nil) }
        #expect(error?.message == "annotations[0].bbox[1]: expected a number")
        let badCategory = #"{"images": [{"id": 1, "file_name": "a.tif"}], "annotations": [{"id": 4, "image_id": 1, "category_id": 9, "bbox": [1, 1, 2, 3]}], "categories": []}"#
        let category = #expect(throws: ScaleTileError.self) { try LabelSet(coco: Data(badCategory.utf8), imageName: nil) }
        #expect(category?.message == "annotation 4 has category_id 9, which no category defines")
        let shortBox = #"{"images": [{"id": 1, "file_name": "a.tif"}], "annotations": [{"id": 4, "image_id": 1, "category_id": 1, "bbox": [1, 1, 2]}], "categories": [{"id": 1, "name": "a"}]}"#
        let box = #expect(throws: ScaleTileError.self) { try LabelSet(coco: Data(shortBox.utf8), imageName: nil) }
        #expect(box?.message == "annotation 4: bbox has 3 numbers, expected 4 (x, y, width, height)")
    }

    // MARK: YOLO

    // Image 200x100. Line 1: cx 0.5·200 = 100, w 0.1·200 = 20 → x 90..110; cy 0.5·100 = 50,
    // h 0.2·100 = 20 → y 40..60. Line 3 (after a blank line): cx 0.25·200 = 50, w 0.5·200 = 100
    // → x 0..100; cy 0.75·100 = 75, h 0.5·100 = 50 → y 50..100.
    @Test func yoloBoxesInPixels() throws {
        let labels = try LabelSet(yolo: "0 0.5 0.5 0.1 0.2\n\n2 0.25 0.75 0.5 0.5\n", imageSize: RasterSize(width: 200, height: 100))
        #expect(labels.objects == [
            LabeledObject(id: "1", className: "0", box: PixelBox(minX: 90, minY: 40, maxX: 110, maxY: 60)),
            LabeledObject(id: "2", className: "2", box: PixelBox(minX: 0, minY: 50, maxX: 100, maxY: 100)),
        ])
        #expect(labels.classNames == ["0", "2"])
        let named = try LabelSet(yolo: "1 0.5 0.5 0.1 0.2\r\n", imageSize: RasterSize(width: 10, height: 10), classNames: ["car", "ship"])
        #expect(named.objects.map(\.className) == ["ship"])
        #expect(named.classNames == ["car", "ship"])
    }

    @Test(arguments: [
        ("0 0.5 0.5 0.1\n", "line 1 has 4 values, expected 5 (class cx cy w h)"),
        ("0 0.5 0.5 0.1 0.1\n0 412 0.5 0.1 0.1\n", "line 2: cx 412 is outside 0–1 (YOLO values are fractions of the image size)"),
        ("0 0.5 -0.2 0.1 0.1\n", "line 1: cy -0.2 is outside 0–1 (YOLO values are fractions of the image size)"),
        ("0 0.5 0.5 0.1 abc\n", "line 1: h abc is not a number"),
        ("car 0.5 0.5 0.1 0.1\n", "line 1: class car is not a class number (0, 1, 2, ...)"),
    ])
    func yoloBadLines(text: String, message: String) {
        let error = #expect(throws: ScaleTileError.self) { try LabelSet(yolo: text, imageSize: RasterSize(width: 10, height: 10)) }
        #expect(error?.message == message)
    }

    @Test func yoloClassBeyondTheList() {
        let error = #expect(throws: ScaleTileError.self) {
            try LabelSet(yolo: "3 0.5 0.5 0.1 0.1", imageSize: RasterSize(width: 10, height: 10), classNames: ["a", "b"])
        }
        #expect(error?.message == "line 1: class 3, the class list has 2 names")
    }

    // MARK: Pascal VOC

    @Test func pascalVOCBoxes() throws {
        let xml = """
        <?xml version="1.0"?>
        <annotation><filename>scene.tif</filename><size><width>40</width><height>30</height><depth>3</depth></size>
          <object><name>Tree</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>11.5</xmax><ymax>12</ymax></bndbox></object>
          <object><name> car </name><difficult>0</difficult>
            <bndbox><ymax>30</ymax><xmax>40</xmax><ymin>20</ymin><xmin>35</xmin></bndbox></object>
        </annotation>
        """
        let labels = try LabelSet(pascalVOC: Data(xml.utf8), sceneSize: RasterSize(width: 40, height: 31))
        #expect(labels.objects == [
            LabeledObject(id: "1", className: "Tree", box: PixelBox(minX: 1, minY: 2, maxX: 11.5, maxY: 12)),
            LabeledObject(id: "2", className: "car", box: PixelBox(minX: 35, minY: 20, maxX: 40, maxY: 30)),
        ])
        #expect(labels.classNames == ["Tree", "car"])
        #expect(labels.warnings.map(\.message) == ["the annotated image is 40x30, the scene is 40x31"])
    }

    @Test func pascalVOCErrors() {
        let broken = "<annotation>\n<object><name>a</name>\n</annotation>"
        let syntax = #expect(throws: ScaleTileError.self) { try LabelSet(pascalVOC: Data(broken.utf8)) }
        #expect(syntax?.message.hasPrefix("not valid XML (line 3") == true)
        let wrongRoot = #expect(throws: ScaleTileError.self) { try LabelSet(pascalVOC: Data("<doc><object/></doc>".utf8)) }
        #expect(wrongRoot?.message == "not a Pascal VOC file: the root element is <doc>, expected <annotation>")
        let noMax = "<annotation><object><name>a</name><bndbox><xmin>1</xmin><ymin>1</ymin><ymax>3</ymax></bndbox></object></annotation>"
        let missing = #expect(throws: ScaleTileError.self) { try LabelSet(pascalVOC: Data(noMax.utf8)) }
        #expect(missing?.message == "object 1 (a): <bndbox> has no <xmax>")
    }

    // MARK: CSV

    @Test func csvBoxesFilteredByImage() throws {
        let csv = """
        image_path,xmin,ymin,xmax,ymax,label,score
        other.tif,0,0,5,5,Tree,0.9
        "dir/scene.tif",10,20,30,45,Tree,0.8
        dir/scene.tif,1.5,2,3,4,"Snag, dead",0.7

        """
        let labels = try LabelSet(csvBoxes: csv, imageName: "/x/scene.tif")
        #expect(labels.objects == [
            LabeledObject(id: "1", className: "Tree", box: PixelBox(minX: 10, minY: 20, maxX: 30, maxY: 45)),
            LabeledObject(id: "2", className: "Snag, dead", box: PixelBox(minX: 1.5, minY: 2, maxX: 3, maxY: 4)),
        ])
        // The stem matches when the rows name a PNG export of the scene.
        let png = try LabelSet(csvBoxes: "image_path,xmin,ymin,xmax,ymax,label\nscene.png,1,1,2,2,a\n", imageName: "scene.tif")
        #expect(png.objects.count == 1)
        let several = #expect(throws: ScaleTileError.self) { try LabelSet(csvBoxes: csv, imageName: nil) }
        #expect(several?.message == "the rows name 2 images; say which one the scene is")
    }

    @Test(arguments: [
        ("xmin,ymin,xmax,ymax,label\n1,2,3,4,a\n1,2,3\n", "row 3 has 3 columns, expected 5"),
        ("xmin,ymin,xmax,label\n1,2,3,a\n", "the header has no ymax column (it has xmin, ymin, xmax, label)"),
        ("xmin,ymin,xmax,ymax\n1,2,3,4\n", "the header has no label column (it has xmin, ymin, xmax, ymax)"),
        ("xmin,ymin,xmax,ymax,label\n1,2,three,4,a\n", "row 2: xmax \"three\" is not a number"),
        ("xmin,ymin,xmax,ymax,label\n1,2,3,4,\"a\n", "row 2: a quoted field is not closed"),
        ("", "no header row (xmin,ymin,xmax,ymax,label)"),
    ])
    func csvBadInput(text: String, message: String) {
        let error = #expect(throws: ScaleTileError.self) { try LabelSet(csvBoxes: text, imageName: nil) }
        #expect(error?.message == message)
    }

    // MARK: Validation

    static func box(_ id: String, _ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double, _ className: String = "a") -> LabeledObject {
        LabeledObject(id: id, className: className, box: PixelBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY))
    }

    // On a 100x100 image: 2 and 3 have zero or negative size, 4 lies wholly right of the image,
    // 5 only touches its bottom edge (no shared area), 1 and 6 (partly outside) stay.
    @Test func validationDropsDegenerateAndOutsideBoxes() throws {
        let labels = LabelSet(objects: [Self.box("1", 10, 10, 20, 20), Self.box("2", 5, 5, 5, 9), Self.box("3", 9, 9, 8, 12),
                                        Self.box("4", 100, 0, 110, 10), Self.box("5", 0, 100, 10, 105), Self.box("6", 95, 95, 105, 105)])
        let checked = try labels.validated(imageSize: RasterSize(width: 100, height: 100))
        #expect(checked.objects.map(\.id) == ["1", "6"])
        #expect(checked.warnings.map(\.message) == ["2 boxes with zero or negative size dropped",
                                                    "2 objects entirely outside the 100x100 image dropped"])
    }

    @Test func validationErrors() {
        let size = RasterSize(width: 100, height: 100)
        let empty = #expect(throws: ScaleTileError.self) { try LabelSet(objects: []).validated(imageSize: size) }
        #expect(empty?.message == "no objects")
        let flat = #expect(throws: ScaleTileError.self) {
            try LabelSet(objects: [Self.box("1", 1, 1, 1, 5), Self.box("2", 1, 1, 5, 1)]).validated(imageSize: size)
        }
        #expect(flat?.message == "no objects: all 2 boxes have zero or negative size")
        let outside = #expect(throws: ScaleTileError.self) {
            try LabelSet(objects: [Self.box("1", 200, 1, 210, 5), Self.box("2", -20, 1, -5, 5)])
                .validated(imageSize: size, outsideHint: "probably the wrong CRS")
        }
        #expect(outside?.message == "all 2 objects lie outside the 100x100 image: probably the wrong CRS")
        let unknown = #expect(throws: ScaleTileError.self) {
            try LabelSet(objects: [Self.box("1", 1, 1, 5, 5, "car"), Self.box("2", 1, 1, 5, 5, "bus"), Self.box("3", 1, 1, 5, 5, "bus")])
                .validated(imageSize: size, classList: ["car"])
        }
        #expect(unknown?.message == "class not in the class list: bus (2 objects)")
    }

    @Test func validationAdoptsTheClassList() throws {
        let checked = try LabelSet(objects: [Self.box("1", 1, 1, 5, 5, "car")])
            .validated(imageSize: RasterSize(width: 10, height: 10), classList: ["bus", "car"])
        #expect(checked.classNames == ["bus", "car"])
    }

    // MARK: Format detection

    @Test(arguments: [
        ("labels.json", #"{"images": [], "annotations": []}"#, LabelFormat.coco),
        ("labels.json", #"{ "type" : "FeatureCollection", "features": [] }"#, .vector),
        ("noext", #"{"type": "Feature", "geometry": null}"#, .vector),
        ("scene.tif.txt", "0 0.5 0.5 0.1 0.1", .yolo),
        ("a.XML", "<annotation/>", .voc),
        ("boxes.csv", "xmin,ymin,xmax,ymax,label", .csv),
        ("roads.gpkg", "", .vector),
        ("mask.tif", "", .raster),
    ])
    func formatDetection(name: String, head: String, format: LabelFormat) {
        #expect(LabelFormat.detect(fileName: name, leadingBytes: Data(head.utf8)) == format)
    }

    @Test func unknownFormatIsNotGuessed() {
        #expect(LabelFormat.detect(fileName: "labels.dat", leadingBytes: Data("12 34".utf8)) == nil)
    }
}
