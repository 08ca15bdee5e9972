import Foundation

/// The repository's `Fixtures/` folder.
public let fixturesURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

/// The bytes of `Fixtures/<name>`.
public func fixture(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: fixturesURL.appendingPathComponent(name)))
}
