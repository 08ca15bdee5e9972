import XCTest
@testable import IncrementalJSON

/// The doc comments' and README's IncrementalJSON examples, run: each prints or returns what its
/// comment says.
final class DocExampleTests: XCTestCase {
    /// `JSONParseError`'s example.
    func testParseErrorExample() {
        XCTAssertThrowsError(try JSONValue(parsing: "[1, 2,]")) { error in
            XCTAssertEqual("\(error)", "trailing comma at line 1, column 6 (byte 5), path $[1]")
        }
    }

    /// `JSONRepair`'s examples.
    func testRepairExamples() throws {
        let parser = JSONParser()
        _ = try parser.feed(#"{"days": [{"day": 1}, {"day": 2, "title": "Mov"#)
        let repair = try parser.repair()
        XCTAssertEqual(repair.suffix, "}]}")
        XCTAssertEqual(repair.report.cutPath.description, "$.days[1].title")
        let repaired = try RepairedJSON(repairing: "Here you go:\n```json\n[1, 2, 3")
        XCTAssertEqual(repaired.text, "[1, 2]")
    }

    /// The README's push-parser example: the offset, path and kind it prints.
    func testReadmePushParserExample() throws {
        let parser = JSONParser()
        var lines: [String] = []
        for chunk in ["{\"days\": [{\"day\": 1, \"ti", "tle\": \"Start\"}", "]}"] {
            for event in try parser.feed(chunk) {
                lines.append("\(event.offset) \(event.path) \(event.kind)")
            }
        }
        _ = try parser.finish()
        XCTAssertTrue(lines.contains(#"30 $.days[0].title string("Start")"#), "\(lines)")
    }

    /// The README's repair example and report.
    func testReadmeRepairExample() throws {
        let repaired = try RepairedJSON(repairing: "Sure:\n```json\n{\"days\": [{\"day\": 1}, {\"day\": 2, \"ti")
        XCTAssertEqual(repaired.text, #"{"days": [{"day": 1}, {"day": 2}]}"#)
        XCTAssertEqual("\(repaired.report)", "kept 31 bytes, dropped 5, closed 3 containers, cut at $.days[1]")
    }
}
