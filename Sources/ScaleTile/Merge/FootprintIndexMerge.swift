import Foundation
import ScaleTileCore

/// Joins the shards' `index.geojson` files into the one an unsharded run writes.
///
/// Each shard's file was written by OGR's GeoJSON driver from the same layer definition and
/// CRS (``FootprintIndex``): a header ending in `"features": [`, one feature per line separated
/// by `,` and a newline, and a closing `]` and `}`. The unsharded file holds the same feature
/// lines in plan order, so joining the shards' lines in shard order reproduces it byte for
/// byte, with no round trip of the CRS through OGR (which does not always give back the CRS a
/// scene was written with).
enum FootprintIndexMerge {
    static let headerEnd = Data("\"features\": [\n".utf8)
    static let footer = Data("\n]\n}\n".utf8)

    /// The joined index of `files`, in shard order; `names` are the files' paths, for messages.
    static func merged(_ files: [Data], names: [String]) throws -> Data {
        var header: Data?
        var bodies: [Data] = []
        for (file, name) in zip(files, names) {
            guard let end = file.range(of: headerEnd)?.upperBound, file.count >= end + footer.count,
                  file.suffix(footer.count) == footer else {
                throw ScaleTileError(.invalidInput, name, "is not a footprint index as ScaleTile writes it (GeoJSON features one per line)")
            }
            let head = file.prefix(upTo: end)
            if let header, header != head {
                throw ScaleTileError(.invalidInput, name, "has another CRS or layer than \(names[0]): not a shard of the same run")
            }
            header = head
            let body = file.subdata(in: end..<(file.count - footer.count))
            if !body.isEmpty { bodies.append(body) }
        }
        var result = header ?? Data()
        for (i, body) in bodies.enumerated() {
            if i > 0 { result.append(Data(",\n".utf8)) }
            result.append(body)
        }
        result.append(footer)
        return result
    }
}
