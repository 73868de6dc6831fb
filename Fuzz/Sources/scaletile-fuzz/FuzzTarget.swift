import Foundation
@testable import ScaleTile
import ScaleTileCore
@testable import ScaleTileMedical

/// One libFuzzer entry point for every parser, chosen by `SCALETILE_FUZZ_TARGET`: `coco`,
/// `yolo`, `voc`, `csv` (label files), `preset`, `ome`, `imagej` (stack metadata), `npy`.
///
/// A parser may refuse its input only with a ``ScaleTileError`` (or, for the metadata parsers
/// that return nil, by returning nil); any other error, trap or hang is a finding. libFuzzer
/// (`-sanitize=fuzzer`) supplies `main`, the mutations and the corpus.
enum FuzzTarget: String, CaseIterable {
    case coco, yolo, voc, csv, preset, ome, imagej, npy

    nonisolated(unsafe) static var current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SCALETILE_FUZZ_TARGET"] ?? "coco"
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("SCALETILE_FUZZ_TARGET must be one of \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(64)
        }
        return target
    }()

    static let scene = RasterSize(width: 791, height: 718)

    func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        do {
            switch self {
            case .coco: _ = try LabelSet(coco: data, imageName: "scene.tif", sceneSize: Self.scene).validated(imageSize: Self.scene)
            case .yolo: _ = try LabelSet(yolo: text, imageSize: Self.scene).validated(imageSize: Self.scene)
            case .voc: _ = try LabelSet(pascalVOC: data, sceneSize: Self.scene).validated(imageSize: Self.scene)
            case .csv: _ = try LabelSet(csvBoxes: text, imageName: "scene.tif").validated(imageSize: Self.scene)
            case .preset: _ = try PresetDocument(text: text, file: "p.yaml", folder: "/nonexistent")
            case .ome:
                let metadata = try OMEMetadata(xml: text, path: "m.ome.tif")
                _ = try metadata.spacing(path: "m.ome.tif")
                _ = try StackLayout.ome(metadata, pageCount: 12, samplesPerPixel: 1, path: "m.ome.tif")
            case .imagej:
                guard let metadata = ImageJMetadata(description: text) else { return }
                _ = try StackLayout.imageJ(metadata, slicePages: Array(0..<24), path: "m.tif")
            case .npy: _ = try NumpyArrayFile.decode(data, file: "a.npy")
            }
        } catch is ScaleTileError {
            // A refusal: what a parser should do with a broken input.
        } catch {
            fatalError("\(rawValue): \(type(of: error)) \(error), not a ScaleTileError")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzTarget.current.run(Data(bytes: bytes, count: count))
    return 0
}

/// libFuzzer's driver, for a `main` of our own: SwiftPM links an executable's entry point
/// under the target's name, so libFuzzer's `main` is not the one that runs.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("scaletile_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { bytes, size in fuzzOneInput(bytes, size) }
}
