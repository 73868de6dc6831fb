// swift-tools-version:6.0
//
// ScaleTile: scale-aware tiling and sampling of satellite scenes and medical stacks.
//
// Targets, from the bottom up (docs/ARCHITECTURE.md has the full picture):
//   CGDAL, CTIFF     system libraries with one shim header each
//   ScaleTileCore    pure Swift: geometry, grids, levels, plans, labels, samplers, scale statistics
//   ScaleTileGDAL    scenes and vectors through GDAL/OGR (C kept out of the public API)
//   ScaleTileTIFF    medical stacks through libtiff (C kept out of the public API)
//   ScaleTile        the jobs: tile, pyramid, analyze, sample, run presets, merge
//   scaletile        the command line
import PackageDescription

let package = Package(
    name: "ScaleTile",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scaletile", targets: ["scaletile"]),
        .library(name: "ScaleTile", targets: ["ScaleTile"]),
        .library(name: "ScaleTileCore", targets: ["ScaleTileCore"]),
        .library(name: "ScaleTileGDAL", targets: ["ScaleTileGDAL"]),
        .library(name: "ScaleTileTIFF", targets: ["ScaleTileTIFF"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        .target(name: "ScaleTileCore"),
        .target(
            name: "ScaleTileGDAL",
            dependencies: ["CGDAL", "ScaleTileCore"]
        ),
        .target(
            name: "ScaleTileTIFF",
            dependencies: ["CTIFF", "ScaleTileCore"]
        ),
        .target(
            name: "ScaleTile",
            dependencies: [
                "ScaleTileCore", "ScaleTileGDAL", "ScaleTileTIFF",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "scaletile",
            dependencies: [
                "ScaleTile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "make-sample-data",
            dependencies: ["ScaleTileCore", "ScaleTileGDAL", "ScaleTileTIFF"],
            path: "Sources/SampleDataGenerator"
        ),
        .testTarget(name: "ScaleTileCoreTests", dependencies: ["ScaleTileCore"]),
        .testTarget(name: "ScaleTileGDALTests", dependencies: ["ScaleTileGDAL", "ScaleTileCore", "TestSupport"]),
        .testTarget(name: "ScaleTileTIFFTests", dependencies: ["ScaleTileTIFF", "ScaleTileCore", "TestSupport"]),
        .testTarget(name: "ScaleTileTests", dependencies: ["ScaleTile", "ScaleTileCore", "ScaleTileGDAL", "ScaleTileTIFF", "TestSupport"]),
        .testTarget(name: "ScaleTileCLITests", dependencies: ["ScaleTile", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["ScaleTileCore"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
