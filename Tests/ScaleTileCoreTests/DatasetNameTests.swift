import Testing
import ScaleTileCore

/// Which inputs go to GDAL as they are, and which are local paths.
struct DatasetNameTests {
    @Test(arguments: ["/vsicurl/https://example.org/a.tif", "/vsizip/scenes.zip/a.tif", "s3://bucket/a.tif",
                      "NETCDF:\"sst.nc\":sst", "HDF5:\"granule.h5\"://data", "GTIFF_DIR:2:scene.tif", "SENTINEL2_L2A:S2A.SAFE/MTD.xml:10m:EPSG_32633"])
    func gdalNamesAreVirtual(name: String) {
        #expect(DatasetName.isVirtual(name))
    }

    @Test(arguments: ["scene.tif", "/data/scene.tif", "../SampleData/a.tif", "scenes/2024-01-01T10:00.tif", "C:/data/a.tif", "ab:c.tif", "x"])
    func localPathsAreNot(name: String) {
        #expect(!DatasetName.isVirtual(name))
    }
}
