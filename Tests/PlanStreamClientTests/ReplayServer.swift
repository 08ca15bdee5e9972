import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@_exported import TestSupport

/// The Python replay server (Server/replay_server.py), started on a free loopback port.
final class ReplayServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Server/replay_server.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, fixturesURL.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The server prints its port first.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw NSError(domain: "ReplayServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "no port from the server"])
        }
        self.port = port
    }

    /// A request for a fixture, with the server's replay options.
    func request(_ fixture: String, _ options: String = "", method: String = "POST") -> URLRequest {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/\(fixture)?\(options)")!)
        request.httpMethod = method
        request.httpBody = Data(#"{"contents": [{"parts": [{"text": "a 7-day plan"}]}]}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        return request
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// A test case with the replay server running: started once before the class's tests, stopped
/// after them (on the main thread: waiting for the process needs its run loop).
class ReplayServerTestCase: XCTestCase {
    nonisolated(unsafe) private static var running: ReplayServer?
    var server: ReplayServer { Self.running! }

    override class func setUp() {
        super.setUp()
        running = try! ReplayServer()
    }

    override class func tearDown() {
        running?.stop()
        running = nil
        super.tearDown()
    }
}
