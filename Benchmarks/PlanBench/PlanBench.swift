import Foundation
import IncrementalJSON

/// `plan-bench`: every method on every fixture at every chunk size, side by side in one process.
@main
enum PlanBench {
    static let chunkSizes = [1, 16, 64, 256, 4096, 0]

    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let folder = value(after: "--fixtures", in: arguments) ?? "Fixtures"
        let filter = value(after: "--filter", in: arguments)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".json") && (filter == nil || $0.contains(filter!)) }
            .sorted()
        print("fixture               method               chunk   median ms       MB/s")
        for name in names {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name)))
            let oneshot = Measurement.run {
                _ = try! JSONSerialization.jsonObject(with: Data(bytes))
            }
            report(name, "foundation-oneshot", 0, bytes.count, oneshot)
            for size in chunkSizes {
                let push = Measurement.run { _ = try! countTokens(bytes, chunkSize: size) }
                report(name, "push", size, bytes.count, push)
            }
        }
    }

    /// The fast path: push chunks, pull tokens, count them.
    static func countTokens(_ bytes: [UInt8], chunkSize: Int) throws -> Int {
        let parser = JSONParser()
        var tokens = 0
        try bytes.withUnsafeBytes { all in
            let size = chunkSize == 0 ? all.count : chunkSize
            var start = 0
            while start < all.count {
                parser.push(UnsafeRawBufferPointer(rebasing: all[start..<min(start + size, all.count)]))
                while try parser.nextToken() != nil { tokens += 1 }
                start += size
            }
        }
        parser.endInput()
        while try parser.nextToken() != nil { tokens += 1 }
        return tokens
    }

    static func report(_ fixture: String, _ method: String, _ chunk: Int, _ bytes: Int, _ m: Measurement) {
        let mbps = Double(bytes) / m.median / 1e6
        let chunkText = chunk == 0 ? "whole" : String(chunk)
        print(fixture.padding(toLength: 22, withPad: " ", startingAt: 0)
              + method.padding(toLength: 21, withPad: " ", startingAt: 0)
              + chunkText.padding(toLength: 6, withPad: " ", startingAt: 0)
              + String(format: "%11.3f %10.1f", m.median * 1e3, mbps))
    }

    static func value(after flag: String, in arguments: ArraySlice<String>) -> String? {
        guard let index = arguments.firstIndex(of: flag), arguments.index(after: index) < arguments.endIndex else { return nil }
        return arguments[arguments.index(after: index)]
    }
}
