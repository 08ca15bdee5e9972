import Foundation
import IncrementalJSON
import PlanStream

/// `stream-memory`: a plan of at least 100 MB, generated on the fly and streamed in 64 KiB chunks
/// through a matcher that decodes every day — never held whole in memory. Runs in a child process
/// so that its peak resident memory is its own.
enum StreamMemory {
    static let childFlag = "--stream-memory-child"

    struct Result: Codable {
        var bytes: Int
        var days: Int
        var seconds: Double
        var peakBytes: Int
    }

    /// Runs the child and reads its result.
    static func measure(megabytes: Int, dayTemplateFixture: URL) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = [childFlag, String(megabytes), dayTemplateFixture.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("stream-memory child failed") }
        return try JSONDecoder().decode(Result.self, from: data)
    }

    /// The child: generate, stream, decode, report.
    /// This program, to run a measurement in a child process of its own.
    static var executable: URL? {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        return FileManager.default.isExecutableFile(atPath: path.path) ? path : Bundle.main.executableURL
    }

    static func runChild(megabytes: Int, template: URL) throws {
        // Day templates: the raw bytes of each day of a small fixture.
        let fixture = Array(try Data(contentsOf: template))
        let templates = JSONMatcher(patterns: ["$.days[*]", "$.metadata"])
        templates.push(fixture)
        templates.endInput()
        var days: [[UInt8]] = []
        var metadata: [UInt8] = Array(#"{"title": "Generated"}"#.utf8)
        while let match = try templates.nextMatch() {
            guard match.phase == .completed else { continue }
            if match.patternIndex == 0 { days.append(templates.rawBytes(of: match)) } else { metadata = templates.rawBytes(of: match) }
        }

        let matcher = JSONMatcher(patterns: ["$.metadata", "$.days[*]"])
        let target = megabytes << 20
        var produced = 0
        var decodedDays = 0
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 17)
        let clock = ContinuousClock()
        let start = clock.now
        func flush(_ force: Bool) throws {
            guard force || chunk.count >= 1 << 16 else { return }
            matcher.push(chunk)
            produced += chunk.count
            chunk.removeAll(keepingCapacity: true)
            while let match = try matcher.nextMatch() {
                if match.patternIndex == 1 && match.phase == .completed {
                    _ = try matcher.decode(PlanDay.self, from: match)
                    decodedDays += 1
                }
            }
        }
        chunk += Array(#"{"metadata": "#.utf8) + metadata + Array(#", "days": ["#.utf8)
        var index = 0
        while produced + chunk.count < target {
            if index > 0 { chunk.append(UInt8(ascii: ",")) }
            chunk += days[index % days.count]
            index += 1
            try flush(false)
        }
        chunk += Array("]}".utf8)
        try flush(true)
        matcher.endInput()
        while try matcher.nextMatch() != nil {}
        let result = Result(bytes: produced, days: decodedDays, seconds: (clock.now - start).seconds,
                            peakBytes: peakResidentBytes())
        FileHandle.standardOutput.write(try JSONEncoder().encode(result))
    }

    /// The process's peak resident set size (VmHWM), from /proc on Linux.
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kilobytes * 1024
    }
}
