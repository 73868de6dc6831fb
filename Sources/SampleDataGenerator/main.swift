import Foundation

// make-sample-data OUTPUT_FOLDER [--only name,...]
//
// Writes the sample scenes and stacks of SampleData/ (see SampleData/README.md) into
// OUTPUT_FOLDER. Every random choice comes from a fixed seed, so the files are the same on
// every run: `swift run make-sample-data SampleData` regenerates the committed ones.

let usage = "usage: make-sample-data OUTPUT_FOLDER [--only \(Sample.allCases.map(\.rawValue).joined(separator: ","))]"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var selected = Sample.allCases
if let flag = arguments.firstIndex(of: "--only") {
    guard flag + 1 < arguments.count else { fail("--only needs a list of samples\n" + usage) }
    selected = arguments[flag + 1].split(separator: ",").map { name in
        guard let sample = Sample(rawValue: String(name)) else { fail("--only: no sample named \(name)\n" + usage) }
        return sample
    }
    arguments.removeSubrange(flag ... flag + 1)
}
guard arguments.count == 1, !arguments[0].hasPrefix("-") else { fail(usage) }
let folder = arguments[0]

// Samples share nothing, so they are made side by side; each one's files are its own.
let seconds = await withTaskGroup(of: (Sample, Result<Double, any Error>).self) { group in
    for sample in selected {
        group.addTask {
            let start = Date()
            do {
                try sample.write(into: folder)
                return (sample, .success(Date().timeIntervalSince(start)))
            } catch {
                return (sample, .failure(error))
            }
        }
    }
    var seconds: [Sample: Double] = [:]
    for await (sample, result) in group {
        switch result {
        case .success(let time): seconds[sample] = time
        case .failure(let error): fail("make-sample-data: \(sample.rawValue): \(error)")
        }
    }
    return seconds
}

for sample in selected {
    print("\(sample.rawValue) (seed \(sample.seed), \(String(format: "%.1f", seconds[sample] ?? 0)) s)")
    for file in sample.files {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + file)[.size] as? Int) ?? 0
        print("  \(file)  \(bytes) bytes")
    }
}
