import XCTest
@testable import IncrementalJSON

final class ErrorPositionTests: XCTestCase {
    func testMalformedFixturesFailAtTheExpectedOffset() throws {
        let expected = try JSONValue(parsing: try fixture("malformed/expected-offsets.json"))
        guard case .object(let offsets) = expected else { return XCTFail("expected-offsets.json is not an object") }
        XCTAssertGreaterThan(offsets.count, 15)
        for (name, offset) in offsets {
            let error = events(try fixture("malformed/" + name)).error
            XCTAssertEqual(error?.offset, offset.numberValue?.int, "\(name): \(String(describing: error))")
        }
    }

    func testLineColumnAndPath() throws {
        let text = """
            {
              "metadata": {"title": "Calm"},
              "days": [
                {"day": 1, "title": "Start"},
                {"day": 2 "title": "Go"}
              ]
            }
            """
        let error = try XCTUnwrap(parseError(text))
        XCTAssertEqual(error.line, 5)
        XCTAssertEqual(error.column, 15)
        XCTAssertEqual(error.path.description, "$.days[1].day")
        XCTAssertEqual(error.reason, .unexpectedByte(ASCII.quote, expected: "',' or '}'"))
        XCTAssertEqual(error.description,
                       #"unexpected '"', expected ',' or '}' at line 5, column 15 (byte 95), path $.days[1].day"#)
    }

    func testTypicalMistakes() throws {
        let cases: [(String, JSONParseError.Reason, Int, Int, Int, String)] = [
            ("[1, 2,\n]", .trailingComma, 5, 1, 6, "$[1]"),
            ("{\"a\": 1,\n}", .trailingComma, 7, 1, 8, "$.a"),
            ("{\"a\":\n  'x'}", .unexpectedByte(0x27, expected: "a value"), 8, 2, 3, "$.a"),
            ("{\"a\": [1, 2}", .unexpectedByte(ASCII.closeBrace, expected: "',' or ']'"), 11, 1, 12, "$.a[1]"),
            ("{\"a\": \"x\n\"}", .unescapedControlCharacter(ASCII.lineFeed), 8, 1, 9, "$.a"),
            ("[\n\n  01]", .leadingZero, 6, 3, 4, "$[0]"),
            ("{\"a\": [", .unexpectedEndOfInput(expected: "a value or ']'"), 7, 1, 8, "$.a"),
            ("{\"a\"", .unexpectedEndOfInput(expected: "':'"), 4, 1, 5, "$.a"),
            ("{\"a\":1} x", .trailingContent(0x78), 8, 1, 9, "$"),
            ("  ", .noValue, 2, 1, 3, "$"),
        ]
        for (text, reason, offset, line, column, path) in cases {
            let error = try XCTUnwrap(parseError(text), text)
            XCTAssertEqual(error.reason, reason, text)
            XCTAssertEqual(error.offset, offset, text)
            XCTAssertEqual(error.line, line, text)
            XCTAssertEqual(error.column, column, text)
            XCTAssertEqual(error.path.description, path, text)
        }
    }

    func testTruncatedFixtureFailsAtTheEndWithItsPath() throws {
        let bytes = try fixture("plan-30d.min.json")
        let cut = Array(bytes.prefix(bytes.count / 2))
        let error = try XCTUnwrap(events(cut, chunkSize: 64).error)
        XCTAssertEqual(error.offset, cut.count)
        guard error.reason.isEndOfInput else { return XCTFail("\(error)") }
        XCTAssertTrue(error.path.description.hasPrefix("$.days["), error.path.description)
    }
}
