// swift-tools-version:6.0
//
// ScaleTile's benchmarks live apart from its tests (STYLE.md): release builds only, driven by
// `Benchmarks/run.sh`, which times the `scaletile` CLI next to the peers in
// ../shared/bench/peers in the same run. This package adds the measurements that need the
// library itself (the codec floor, in-memory sampling, lesion indexing).
import PackageDescription

let package = Package(
    name: "ScaleTileBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so products resolve whatever the checkout folder is called.
        .package(name: "ScaleTile", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "scaletile-bench",
            dependencies: [
                .product(name: "ScaleTile", package: "ScaleTile"),
                .product(name: "ScaleTileCore", package: "ScaleTile"),
                .product(name: "ScaleTileSatellite", package: "ScaleTile"),
                .product(name: "ScaleTileMedical", package: "ScaleTile"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
