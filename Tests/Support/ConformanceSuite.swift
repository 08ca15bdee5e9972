import Foundation
import XCTest

/// The public JSON conformance suite (JSONTestSuite, MIT), where the workspace keeps it:
/// `../shared/data/JSONTestSuite` beside the package, or the folder `JSON_TEST_SUITE` names. The
/// project commits no copy.
public enum ConformanceSuite {
    static let url: URL? = {
        let candidates = [ProcessInfo.processInfo.environment["JSON_TEST_SUITE"].map { URL(fileURLWithPath: $0) },
                          fixturesURL.deletingLastPathComponent().deletingLastPathComponent()
                              .appendingPathComponent("shared/data/JSONTestSuite")]
        return candidates.compactMap { $0 }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("test_parsing").path) }
    }()

    /// The `.json` files of `folder` (`test_parsing`, `test_transform`), sorted by name; throws
    /// `XCTSkip` when the suite is absent.
    public static func files(_ folder: String) throws -> [(name: String, bytes: [UInt8])] {
        guard let url else {
            throw XCTSkip("JSONTestSuite not found at ../shared/data/JSONTestSuite (or $JSON_TEST_SUITE)")
        }
        let directory = url.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
            .map { ($0, Array(try Data(contentsOf: directory.appendingPathComponent($0)))) }
    }
}
