import Foundation
import Testing
import ScaleTileCore
import TestSupport

/// Remote inputs of issue 14: a scene in an S3 bucket, read through GDAL's `/vsis3/` from a
/// local S3-compatible server (moto's server mode on 127.0.0.1, from the client environment),
/// tiles into the same tiles, byte for byte, as the local file.
@Suite("Stitch issue: /vsis3/ inputs", .serialized)
struct StitchS3InputTests {
    @Test func tilesFromS3EqualTheLocalFilesTiles() throws {
        if let reason = ClientPython.missingReason { Issue.record(Comment(rawValue: reason)); return }
        let folder = TemporaryFolder()
        let scene = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.tif"
        let port = Int.random(in: 30000 ..< 40000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: ClientPython.executable)
        server.arguments = ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // moto's server ignores SIGTERM: stop it, the process this test started, with SIGKILL.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }

        // The bucket and the object, through boto3 once the server answers.
        let upload = try ClientPython.run("""
        import sys, time, boto3
        s3 = boto3.client('s3', endpoint_url=sys.argv[1], aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')
        for attempt in range(100):
            try:
                s3.create_bucket(Bucket='scenes'); break
            except Exception:
                time.sleep(0.1)
        else:
            sys.exit('moto did not answer')
        s3.upload_file(sys.argv[2], 'scenes', 'aerial/aerial_vehicles.tif')
        print(s3.head_object(Bucket='scenes', Key='aerial/aerial_vehicles.tif')['ContentLength'])
        """, ["http://127.0.0.1:\(port)", scene])
        try #require(upload.status == 0, "\(upload.standardError)")

        let s3: [String: String] = ["AWS_S3_ENDPOINT": "127.0.0.1:\(port)", "AWS_HTTPS": "NO", "AWS_VIRTUAL_HOSTING": "FALSE",
                                    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                                    "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"]
        let options = ["--tile-size", "256", "--overlap", "32", "--levels", "0-1", "--quiet"]
        let remote = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", "/vsis3/scenes/aerial/aerial_vehicles.tif", "--out", folder.file("remote")] + options,
                                             environment: s3)
        try #require(remote.status == 0, "\(remote.standardError)")
        let local = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", scene, "--out", folder.file("local")] + options)
        try #require(local.status == 0, "\(local.standardError)")
        let a = TemporaryFolder.files(in: folder.file("remote")), b = TemporaryFolder.files(in: folder.file("local"))
        let tiles = b.keys.filter { $0.hasPrefix("tiles/") }
        #expect(tiles.count == 16 + 4, "\(tiles.count) tiles")
        #expect(Set(a.keys) == Set(b.keys))
        for path in tiles { #expect(a[path] == b[path], "\(path) differs from the local file's tile") }
        #expect(a["index.geojson"] == b["index.geojson"])
    }
}
