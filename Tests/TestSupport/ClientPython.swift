import Foundation

/// The Python of the client environment: the trainers' own libraries (numpy, Ultralytics,
/// pycocotools, MONAI, webdataset, nibabel, pynrrd, nnU-Net, SAHI) that judge what ScaleTile
/// writes. `scripts/client-venv.sh` builds it from `scripts/requirements-clients.txt`.
///
/// A test that needs a client fails when it is missing; it never skips, because a skipped
/// check would let a format regression land unseen.
public enum ClientPython {
    /// `SCALETILE_PYTHON` when set, else `.venv-clients/bin/python` at the package root.
    public static var executable: String {
        if let path = ProcessInfo.processInfo.environment["SCALETILE_PYTHON"], !path.isEmpty { return path }
        return SharedData.packageRoot + "/.venv-clients/bin/python"
    }

    /// Why a client check cannot run, or nil when the interpreter is there.
    public static var missingReason: String? {
        FileManager.default.isExecutableFile(atPath: executable)
            ? nil
            : "\(executable) is missing: run scripts/client-venv.sh (or set SCALETILE_PYTHON)"
    }

    /// Runs `script` (Python source) with `arguments` in the client environment.
    ///
    /// - Throws: when the interpreter is missing, naming the script that builds it.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = []) throws -> ExternalCommand.Result {
        if let missingReason { throw ClientPythonMissing(message: missingReason) }
        return try ExternalCommand.run(executable, ["-c", script] + arguments)
    }
}

/// The client environment is not built.
public struct ClientPythonMissing: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
