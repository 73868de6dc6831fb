// swift-tools-version:6.0
//
// libFuzzer harnesses for the parsers ScaleTile owns, kept out of the main package so the
// default `swift build` never needs `-sanitize=fuzzer`. Built and run by
// `scripts/fuzz.sh --libfuzzer SECONDS` (debug build: `@testable` reaches the internal
// metadata parsers).
import PackageDescription

let package = Package(
    name: "ScaleTileFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "ScaleTile", path: "..")],
    targets: [
        .executableTarget(
            name: "scaletile-fuzz",
            dependencies: [
                .product(name: "ScaleTile", package: "ScaleTile"),
                .product(name: "ScaleTileCore", package: "ScaleTile"),
                .product(name: "ScaleTileMedical", package: "ScaleTile"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
