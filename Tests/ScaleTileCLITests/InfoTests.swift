import Foundation
import Testing
import TestSupport

/// `scaletile info --json` against `gdalinfo -json` on every satellite file in ../shared/data.
@Suite("info on scenes", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct InfoTests {
    static func info(_ path: String) throws -> [String: Any] {
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["info", path, "--json"])
        try #require(result.status == 0, "\(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    /// A JSON number as a Double (integers and reals alike); nil for anything else.
    static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    /// The code of the last `ID["EPSG",n]` of a WKT: the code of the whole CRS.
    static func topLevelEPSG(_ wkt: String?) -> Int? {
        guard let wkt, let range = wkt.range(of: "ID[\"EPSG\",", options: .backwards) else { return nil }
        return Int(wkt[range.upperBound...].prefix { $0.isNumber })
    }

    @Test(arguments: SharedData.satelliteRasters)
    func sceneInfoEqualsGDALInfo(relative: String) throws {
        let path = SharedData.path(relative)
        let ours = try Self.info(path)
        let gdal = try GDALTruth.info(path)

        #expect(ours["kind"] as? String == "scene")
        #expect(ours["driver"] as? String == gdal["driverShortName"] as? String)
        let size = try #require(gdal["size"] as? [Int])
        #expect(ours["width"] as? Int == size[0] && ours["height"] as? Int == size[1])
        let gdalBands = try #require(gdal["bands"] as? [[String: Any]])
        let bands = try #require(ours["bands"] as? [[String: Any]])
        #expect(ours["bandCount"] as? Int == gdalBands.count && bands.count == gdalBands.count)
        for (b, g) in zip(bands, gdalBands) {
            #expect(b["band"] as? Int == g["band"] as? Int)
            #expect(b["dataType"] as? String == g["type"] as? String)
            #expect(b["colorInterpretation"] as? String == g["colorInterpretation"] as? String)
            #expect(b["blockSize"] as? [Int] == g["block"] as? [Int])
            // nodata: a number, or "NaN" as gdalinfo writes it; absent when the band has none.
            #expect(Self.number(b["nodata"]) == Self.number(g["noDataValue"]) || (b["nodata"] as? String == "NaN" && g["noDataValue"] as? String == "NaN"))
            let overviews = (g["overviews"] as? [[String: Any]] ?? []).compactMap { $0["size"] as? [Int] }
            #expect((b["overviews"] as? [[Int]] ?? []) == overviews)
            // gdalinfo lists a band's mask only when it is a real mask (per dataset, alpha).
            if let flags = (g["mask"] as? [String: Any])?["flags"] as? [String] {
                #expect(Set(b["maskFlags"] as? [String] ?? []) == Set(flags))
            } else {
                #expect(Set(b["maskFlags"] as? [String] ?? []).isSubset(of: ["ALL_VALID", "NODATA"]))
            }
        }
        if let gt = gdal["geoTransform"] as? [Double] {
            let ourGT = try #require(ours["geoTransform"] as? [Double])
            #expect(zip(ourGT, gt).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) })
            let pixel = try #require(ours["pixelSize"] as? [Double])
            #expect(abs(pixel[0] - gt[1]) <= 1e-12 * abs(gt[1]) && abs(pixel[1] - gt[5]) <= 1e-12 * abs(gt[5]))
            // Bounds: the corner coordinates gdalinfo reports, to its 3 decimals.
            let corners = try #require(gdal["cornerCoordinates"] as? [String: [Double]])
            let ul = corners["upperLeft"]!, lr = corners["lowerRight"]!
            let bounds = try #require(ours["bounds"] as? [Double])
            #expect(abs(bounds[0] - min(ul[0], lr[0])) < 1e-3 && abs(bounds[2] - max(ul[0], lr[0])) < 1e-3)
            #expect(abs(bounds[1] - min(ul[1], lr[1])) < 1e-3 && abs(bounds[3] - max(ul[1], lr[1])) < 1e-3)
        }
        let gdalWKT = (gdal["coordinateSystem"] as? [String: Any])?["wkt"] as? String
        let crs = ours["crs"] as? [String: Any]
        #expect((crs != nil) == (gdalWKT != nil && !gdalWKT!.isEmpty))
        if let expected = Self.topLevelEPSG(gdalWKT) {
            #expect(crs?["epsg"] as? Int == expected)
            #expect(Self.topLevelEPSG(crs?["wkt"] as? String) == expected)
        }
    }

    // Driver-prefixed subdataset names go to GDAL as they are, not checked as local files.
    @Test func subdatasetNamesOpenThroughGDAL() throws {
        let name = "GTIFF_DIR:2:" + SharedData.path("satellite/aerial/cogeo.tif")
        let ours = try Self.info(name)
        let gdal = try GDALTruth.info(name)
        #expect(ours["kind"] as? String == "scene")
        let size = try #require(gdal["size"] as? [Int])
        #expect(ours["width"] as? Int == size[0] && ours["height"] as? Int == size[1])
    }

    @Test func missingAndNonRasterInputsFailWithOneLine() throws {
        let t = TemporaryFolder()
        try "text".write(toFile: t.file("a.tif"), atomically: true, encoding: .utf8)
        for (path, code, text) in [(t.file("none.tif"), Int32(66), "no such file"), (t.file("a.tif"), Int32(65), "not a raster")] {
            let r = try ExternalCommand.run(ExternalCommand.scaletile, ["info", path])
            #expect(r.status == code, "\(r.standardError)")
            #expect(r.standardError.hasPrefix("error: \(path): \(text)") && r.standardError.split(separator: "\n").count == 1, "\(r.standardError)")
        }
    }
}
