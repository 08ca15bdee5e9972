import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IncrementalJSON
import PlanStream
import PlanStreamClient
import Synchronization

/// `concurrent-streams`: N client streams at once in one process, against the local replay
/// server (the tests' `replay_server.py`, started here), each a plan in 3–6-byte OpenAI-style
/// deltas, paced. Each N runs in a child process, so that its CPU time and peak memory are its own.
enum ConcurrentStreams {
    static let childFlag = "--concurrent-streams-child"
    static let serverScript = "Tests/PlanStreamClientTests/Server/replay_server.py"
    /// The server's writes: bytes each, seconds apart (see `measure`).
    static let writeBytes = 2048
    static let writeInterval = 0.005

    struct Result: Codable {
        var streams: Int
        var completed: Int
        var wallSeconds: Double
        var cpuSeconds: Double
        var peakBytes: Int
    }

    /// Starts the replay server on `fixtures`, runs a child per count, stops the server.
    /// `nil` when python3 or the server script is missing.
    static func measure(counts: [Int], fixture: String, fixtures: String) throws -> [Result]? {
        guard FileManager.default.fileExists(atPath: serverScript) else { return nil }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", serverScript, fixtures]
        let port = Pipe()
        server.standardOutput = port
        server.standardError = FileHandle.nullDevice
        do { try server.run() } catch { return nil }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var line = Data()
        while let byte = try port.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let number = Int(String(decoding: line, as: UTF8.self)) else { return nil }
        // Each stream's body goes out in 2048-byte writes 5 ms apart: paced, as a model's stream
        // is (a model's writes are smaller and slower), so that the client reads each write apart
        // whatever the number of streams. Written as fast as the server can, the reads merged,
        // more when the streams were few, and CPU per stream measured how fast one Python process
        // writes. One event per write would be truer still, but one process cannot pace a hundred
        // streams event by event.
        let url = "http://127.0.0.1:\(number)/\(fixture)?envelope=openai&chunk=\(writeBytes)&delay=\(writeInterval)"
        return try counts.map { count in
            let child = Process()
            child.executableURL = StreamMemory.executable
            child.arguments = [childFlag, String(count), url,
                               URL(fileURLWithPath: fixtures).appendingPathComponent(fixture).path]
            let output = Pipe()
            child.standardOutput = output
            try child.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            child.waitUntilExit()
            guard child.terminationStatus == 0 else { throw BenchmarkError("concurrent-streams child failed") }
            return try JSONDecoder().decode(Result.self, from: data)
        }
    }

    /// In the child: `count` streams of `url` at once; each must complete with the plan in
    /// `expectedFile`, byte for byte.
    static func runChild(count: Int, url: String, expectedFile: String) throws {
        // Trimmed once, here: done per stream it cost ~8% of the streams' CPU.
        let expected = String(decoding: try Data(contentsOf: URL(fileURLWithPath: expectedFile)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = cpuSeconds()
        Task {
            let completed = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        var request = URLRequest(url: URL(string: url)!)
                        request.httpMethod = "GET"
                        let stream = PlanStreamClient().events(for: request, format: .openai, metadata: JSONValue.self,
                                                               day: JSONValue.self)
                        do {
                            for try await event in stream {
                                if case .completed(let plan) = event { return plan.json == expected }
                            }
                        } catch {
                            return false
                        }
                        return false
                    }
                }
                var completed = 0
                for await ok in group where ok { completed += 1 }
                return completed
            }
            outcome.completed.withLock { $0 = completed }
            done.signal()
        }
        done.wait()
        let result = Result(streams: count, completed: outcome.completed.withLock { $0 }, wallSeconds: (clock.now - start).seconds,
                            cpuSeconds: cpuSeconds() - cpuStart, peakBytes: StreamMemory.peakResidentBytes())
        FileHandle.standardOutput.write(try JSONEncoder().encode(result))
    }

    /// User and system CPU time of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)   // an enum on Glibc, an Int32 elsewhere
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The number of streams that completed, handed from the task to the waiting main thread.
    final class Outcome: Sendable {
        let completed = Mutex(0)
    }
}
