import ArgumentParser
import ScaleTile

/// Options of `tile` and `sample` that only stacks take.
struct StackPatchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Patch size in voxels: XxYxZ, or XxY for 2-D patches slice by slice.", valueName: "XxYxZ"))
    var patch: String?

    @Option(name: .customLong("patch-mm"), help: ArgumentHelp("Patch size in millimetres, converted with the stack's spacing (nearest voxel, at least 1).", valueName: "XxYxZ"))
    var patchMillimetres: String?

    @Option(help: "The mask stack (labels or lesions) of the image: same width, height and depth; patched with the same windows.")
    var mask: String?

    @Option(help: helpText("Filling of image voxels past the stack's edge: constant (--pad-value), edge (replicate) or reflect (mirror, as numpy). Masks take 0.", "tiling.padding"))
    var padding: Padding?

    @Option(name: .customLong("pad-value"), help: helpText("The value of constant padding.", "tiling.padValue"))
    var padValue: Double?

    @Flag(name: .customLong("scale-z"), help: "Levels downsample Z as well as X and Y (near-isotropic stacks).")
    var scaleZ = false

    @Option(help: "Channels in output order, 1-based (e.g. 2,1); default all.")
    var channels: String?

    @Option(name: .customLong("mask-resampling"), help: helpText("Resampling of mask levels above 0: nearest or mode (X and Y only).", "levels.maskResampling"))
    var maskResampling: Resampling?

    @Option(help: "Voxels forming one lesion: 6, 18 or 26 neighbours (4 or 8 in a plane). Default: 26 (8 in a plane).")
    var connectivity: Int?

    @Flag(name: .customLong("apply-scaling"), help: "NIfTI: apply scl_slope/scl_inter and write image patches as Float32 (default: keep stored values).")
    var applyScaling = false

    var values: [CommandLineRequest.Value] {
        [("--patch", patch), ("--patch-mm", patchMillimetres), ("--mask", mask), ("--padding", padding?.rawValue),
         ("--pad-value", padValue.map { String($0) }), ("--scale-z", scaleZ ? "true" : nil), ("--channels", channels),
         ("--mask-resampling", maskResampling?.rawValue), ("--connectivity", connectivity.map(String.init)),
         ("--apply-scaling", applyScaling ? "true" : nil)]
    }
}
