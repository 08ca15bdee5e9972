import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// The Python replay server (Server/replay_server.py), started on a free loopback port.
final class ReplayServer: @unchecked Sendable {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    let process = Process()
    let port: Int

    init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Server/replay_server.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, Self.fixtures.path]
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
