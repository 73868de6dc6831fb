import Foundation
import ScaleTileCore
import ScaleTileMedical
import ScaleTileSatellite

/// Which reader an input needs: one command line for scenes, stacks and volumes (DESIGN.md
/// §2, "Scene or stack"; §7, "Volumes").
public enum SourceKind: String, Hashable, Sendable {
    /// A 2-D raster read through GDAL.
    case scene
    /// A multi-page TIFF read with ``ScaleTileMedical/TIFFStack``.
    case stack
    /// A NIfTI or NRRD volume read with ``ScaleTileMedical/MedicalVolume``.
    case volume

    /// Whether the medical jobs read it (through ``ScaleTileMedical/MedicalSource``).
    public var isMedical: Bool { self != .scene }

    /// The reader family of `path`: `.stack` for TIFF stacks and volumes alike (the medical
    /// jobs read both through ``ScaleTileMedical/MedicalSource``), else `.scene`; see
    /// ``identify(_:as:)``.
    public static func of(_ path: String, as override: TIFFKind? = nil) throws -> TIFFKind {
        try identify(path, as: override).isMedical ? .stack : .scene
    }

    /// `override` when given (`--as scene|stack`; a volume stays a volume under `--as stack`);
    /// else NIfTI and NRRD files are volumes, a TIFF the rule calls a stack is one, and
    /// everything else — other formats, GDAL connection strings — is a scene.
    ///
    /// - Throws: ``ScaleTileCore/ScaleTileError`` `.notFound` for a missing local file;
    ///   `.unsupported` for formats recognised by their first bytes that ScaleTile refuses: DICOM
    ///   (convert with dcm2niix first) and JPEG 2000 when GDAL has no driver for it.
    public static func identify(_ path: String, as override: TIFFKind? = nil) throws -> SourceKind {
        if DatasetName.isVirtual(path) { return override == .stack ? .stack : .scene }
        // Before the first byte is read: a FIFO would block the read of the magic bytes.
        try InputFile.check(path, expecting: .file, what: "a raster file")
        try refuseUnsupported(path)
        if override != .scene, VolumeFormat.of(path: path) != nil { return .volume }
        if let override { return override == .stack ? .stack : .scene }
        return try TIFFStack.classify(path: path) == .stack ? .stack : .scene
    }

    /// Refuses, by their magic bytes, inputs ScaleTile cannot read, naming the way forward.
    static func refuseUnsupported(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let start = [UInt8]((try? handle.read(upToCount: 132)) ?? Data())
        if start.count >= 132, start[128..<132].elementsEqual(Array("DICM".utf8)) {
            throw ScaleTileError(.unsupported, path, "is a DICOM file, which ScaleTile does not read: convert the series to NIfTI first with dcm2niix (Debian package dcm2niix), e.g. `dcm2niix -z y -o OUT SERIES_FOLDER`, then give ScaleTile the .nii.gz")
        }
        let jp2Signature: [UInt8] = [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]
        let j2kCodestream: [UInt8] = [0xFF, 0x4F, 0xFF, 0x51]
        if start.starts(with: jp2Signature) || start.starts(with: j2kCodestream) {
            let drivers = ["JP2OpenJPEG", "JP2KAK", "JP2ECW", "JP2MrSID", "JPEG2000"]
            if !drivers.contains(where: GDALRuntime.hasDriver) {
                throw ScaleTileError(.unsupported, path, "is JPEG 2000, and this GDAL has no JPEG 2000 driver: install GDAL with OpenJPEG (Debian libgdal-dev brings JP2OpenJPEG) or convert the file to GeoTIFF")
            }
        }
    }
}
