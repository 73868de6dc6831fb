// swift-tools-version:6.0
//
// ScaleTile: scale-aware tiling and sampling of satellite scenes and medical stacks.
//
// Targets, from the bottom up (docs/ARCHITECTURE.md has the full picture):
//   CGDAL, CTIFF        system libraries with one shim header each (GDAL, libtiff)
//   CNIfTI, CTeem       nifticlib (+ zlib) and teem's nrrd, for NIfTI and NRRD volumes (medical only)
//   CCairo, CArchive    cairo (quicklooks) and libarchive (webdataset shards), under ScaleTileSatellite / ScaleTile
//   ScaleTileCore       pure Swift: geometry, grids, levels, plans, labels, samplers, scale statistics
//   ScaleTileSatellite  the satellite domain over GDAL/OGR: scenes, vectors, georeferencing
//   ScaleTileMedical    the medical domain over libtiff, nifticlib and teem: stacks, volumes, spacing, metadata
//   ScaleTile           the jobs: tile, pyramid, analyze, sample, run presets, merge
//   scaletile           the command line
// The two domain modules never import each other; the core imports neither; C stays internal.
import PackageDescription

let package = Package(
    name: "ScaleTile",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scaletile", targets: ["scaletile"]),
        .library(name: "ScaleTile", targets: ["ScaleTile"]),
        .library(name: "ScaleTileCore", targets: ["ScaleTileCore"]),
        .library(name: "ScaleTileSatellite", targets: ["ScaleTileSatellite"]),
        .library(name: "ScaleTileMedical", targets: ["ScaleTileMedical"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CGDAL",
            pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"]), .brew(["gdal"])]
        ),
        .systemLibrary(
            name: "CTIFF",
            pkgConfig: "libtiff-4",
            providers: [.apt(["libtiff-dev"]), .brew(["libtiff"])]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]
        ),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"]), .brew(["cairo"])]
        ),
        // nifticlib and teem ship no pkg-config file on Debian: their module maps name the headers.
        .systemLibrary(name: "CNIfTI", providers: [.apt(["libnifti2-dev"])]),
        .systemLibrary(name: "CTeem", providers: [.apt(["libteem-dev"])]),
        .target(name: "ScaleTileCore"),
        .target(
            name: "ScaleTileSatellite",
            dependencies: ["CGDAL", "CCairo", "ScaleTileCore"]
        ),
        .target(
            name: "ScaleTileMedical",
            dependencies: ["CTIFF", "CNIfTI", "CTeem", "ScaleTileCore"]
        ),
        .target(
            name: "ScaleTile",
            dependencies: [
                "ScaleTileCore", "ScaleTileSatellite", "ScaleTileMedical", "CArchive",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "scaletile",
            dependencies: [
                "ScaleTile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "make-sample-data",
            dependencies: ["ScaleTileCore", "ScaleTileSatellite", "ScaleTileMedical"],
            path: "Sources/SampleDataGenerator"
        ),
        .testTarget(name: "ScaleTileCoreTests", dependencies: ["ScaleTileCore", "TestSupport"]),
        .testTarget(name: "ScaleTileSatelliteTests", dependencies: ["ScaleTileSatellite", "ScaleTileCore", "TestSupport"]),
        .testTarget(name: "ScaleTileMedicalTests", dependencies: ["ScaleTileMedical", "ScaleTileCore", "TestSupport"]),
        .testTarget(name: "ScaleTileTests", dependencies: ["ScaleTile", "ScaleTileCore", "ScaleTileSatellite", "ScaleTileMedical", "TestSupport"]),
        .testTarget(name: "ScaleTileCLITests", dependencies: ["ScaleTile", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["ScaleTileCore"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
