import Foundation

extension FuzzInvariants {
    /// Runs `check` on every file named in `paths` (directories are read whole): how a fuzz target
    /// built without libFuzzer replays a corpus or a saved finding.
    public static func replay(_ paths: some Sequence<String>, check: ([UInt8]) -> Void) -> Int32 {
        var count = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("no such file: \(path)\n".utf8))
                return 2
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                check(Array(data))
                count += 1
            }
        }
        print("checked \(count) input(s): no invariant violated")
        return 0
    }
}

extension FuzzInvariants {
    /// `Tests/Fuzz/Regressions/<target>`: where `Tests/Fuzz/run.sh` saves what a fuzz target found.
    package static func regressionsFolder(_ target: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Regressions").appendingPathComponent(target)
    }

    /// Every finding saved for `target`, each as the bytes of one file (none when the folder is absent).
    package static func savedFindings(_ target: String) throws -> [[UInt8]] {
        let folder = regressionsFolder(target)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try files.sorted().filter { !$0.hasPrefix(".") }.map {
            Array(try Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }
}
