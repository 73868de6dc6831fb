import Foundation
import Testing
import TestSupport

/// Work bounded by the declared sizes, through the real `scaletile` process: a TIFF whose
/// tiles all share one offset (20000 x 20000 declared from a 0.6 MB file, every tile decoding
/// the same pixels) is refused by `analyze`, `tile` and `info --as stack` through both GDAL
/// and libtiff; a DEFLATE strip that inflates to 100 MiB behind a declared 1000 x 1000 page
/// decodes only its declared bytes and finishes at once. Each case under `timeout 60`.
@Suite("Hostile: bounded work on crafted TIFFs", .serialized)
struct HostileBoundedWorkCLITests {
    /// Builds `shared.tif` and `bomb.tif` in `folder` with the client tifffile, patching the
    /// offsets and byte counts of the written files.
    static func craft(in folder: String) throws {
        let script = #"""
        import numpy as np, tifffile, zlib, struct, os, sys
        out = sys.argv[1]
        a = np.zeros((20000, 20000), np.uint8); a[10:50, 10:50] = 1
        tifffile.imwrite(out + '/shared.tif', a, tile=(256, 256), compression='zlib')
        with tifffile.TiffFile(out + '/shared.tif') as t:
            p = t.pages[0]; offs, counts = p.tags['TileOffsets'], p.tags['TileByteCounts']
            n, first, cfirst = len(offs.value), offs.value[0], counts.value[0]
            fmt = '<Q' if t.is_bigtiff else '<I'
            opos, cpos = offs.valueoffset, counts.valueoffset
        with open(out + '/shared.tif', 'r+b') as f:
            for i in range(n):
                f.seek(opos + i * struct.calcsize(fmt)); f.write(struct.pack(fmt, first))
                f.seek(cpos + i * struct.calcsize(fmt)); f.write(struct.pack(fmt, cfirst))
        tifffile.imwrite(out + '/bomb.tif', np.zeros((1000, 1000), np.uint8), rowsperstrip=1000, compression='zlib')
        bomb = zlib.compress(b'\x01' * (100 << 20), 9)
        with tifffile.TiffFile(out + '/bomb.tif') as t:
            p = t.pages[0]; o, c = p.tags['StripOffsets'], p.tags['StripByteCounts']
            fmts = {3: '<H', 4: '<I', 16: '<Q'}
            opos, ofmt, cpos, cfmt = o.valueoffset, fmts[o.dtype], c.valueoffset, fmts[c.dtype]
        end = os.path.getsize(out + '/bomb.tif')
        with open(out + '/bomb.tif', 'r+b') as f:
            f.seek(end); f.write(bomb)
            f.seek(opos); f.write(struct.pack(ofmt, end))
            f.seek(cpos); f.write(struct.pack(cfmt, len(bomb)))
        """#
        let result = try ClientPython.run(script, [folder])
        try #require(result.status == 0, "\(result.standardError)")
    }

    static func scaletile(_ arguments: [String]) throws -> (result: ExternalCommand.Result, seconds: Double) {
        let start = Date()
        // `timeout` turns a hang into exit 124 instead of a stuck test run.
        let result = try ExternalCommand.run("timeout", ["-k", "5", "60", ExternalCommand.scaletile] + arguments)
        return (result, Date().timeIntervalSince(start))
    }

    @Test func sharedTilesAreRefusedAndAStripBombDecodesOnlyItsDeclaredBytes() throws {
        let t = TemporaryFolder()
        try Self.craft(in: t.path)
        let shared = t.file("shared.tif"), bomb = t.file("bomb.tif")
        let gdal = "error: \(shared): damaged or crafted: blocks (0, 0) and (1, 0) of band 1 share the bytes at offset "
        let libtiff = "error: \(shared): damaged or crafted: tiles 0 and 1 of page 1 share the bytes at offset "
        for (arguments, prefix) in [(["analyze", shared], gdal), (["tile", shared, "--out", t.file("o1"), "--quiet"], gdal),
                                    (["info", shared, "--as", "stack"], libtiff), (["analyze", shared, "--as", "stack"], libtiff),
                                    (["tile", shared, "--as", "stack", "--out", t.file("o2"), "--patch", "256x256x1", "--quiet"], libtiff)] {
            let (result, seconds) = try Self.scaletile(arguments)
            #expect(result.status == 65, "\(arguments): \(result.standardError)")
            #expect(result.standardError.hasPrefix(prefix) && result.standardError.hasSuffix("; overlapping \(prefix == gdal ? "blocks" : "tiles") are refused\n"),
                    "\(arguments): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(seconds < 20, "\(arguments) took \(seconds) s")
        }
        #expect(!FileManager.default.fileExists(atPath: t.file("o1/tiles")) && !FileManager.default.fileExists(atPath: t.file("o2/patches")))

        // The bomb: 100 MiB of 0x01 behind one strip of 1000 x 1000 bytes. Only the declared
        // megabyte is inflated: one object, the whole page, in a fraction of a second.
        for kind in [[String](), ["--as", "stack"]] {
            let (result, seconds) = try Self.scaletile(["analyze", bomb, "--json"] + kind)
            #expect(result.status == 0, "\(kind): \(result.standardError)")
            #expect(seconds < 20, "\(kind): took \(seconds) s")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            #expect((report["targetCount"] as? Int) == 1, "\(kind): \(result.standardOutput.prefix(300))")
        }
        let (tiled, seconds) = try Self.scaletile(["tile", bomb, "--out", t.file("o3"), "--tile-size", "500", "--overlap", "0", "--quiet"])
        #expect(tiled.status == 0 && seconds < 20, "\(tiled.standardError) (\(seconds) s)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: t.file("o3/tiles/L0"))) ?? []).count == 4)
    }
}
