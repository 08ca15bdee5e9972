import XCTest
@testable import IncrementalJSON

/// Each relaxation is a named option; without it, the input is rejected.
final class LenientTests: XCTestCase {
    func testFencedAndProseWrappedFixturesMatchThePlainPlan() throws {
        let plain = try JSONValue(parsing: try fixture("plan-7d.json"))
        XCTAssertEqual(try JSONValue(parsing: try fixture("plan-7d.fenced.txt"), options: .llm), plain)
        XCTAssertNotNil(events(try fixture("plan-7d.fenced.txt")).error, "strict rejects the fence")
        let minified = try JSONValue(parsing: try fixture("plan-30d.min.json"))
        XCTAssertEqual(try JSONValue(parsing: try fixture("plan-30d.prose.txt"), options: .llm), minified)
    }

    func testLeadingProseSkipsBracketsThatCannotStartJSON() throws {
        let text = "Plan [draft] {v2}: see {\"a\": [1]} then [more] prose"
        XCTAssertEqual(try JSONValue(parsing: text, options: .llm), .object(["a": .array([.number(JSONNumber("1")!)])]))
        let events = events(Array(text.utf8), chunkSize: 1, options: .llm).events
        XCTAssertEqual(events.first?.offset, 23, "offsets stay absolute in the input")
        XCTAssertNotNil(parseError("no json here", options: .llm))
        XCTAssertEqual(parseError("just prose", options: .llm)?.reason, .noValue)
    }

    /// A document known to be an object: the prose's citations, bracketed asides and empty `{}`
    /// are prose, not the document (which the default takes them for, ignoring the real one).
    func testLeadingProseEndsAtObject() throws {
        let text = "Based on [1] and [see below], {} is returned when empty.\n```json\n{\"a\": [1, 2]}\n```\n[2] Source."
        var options = JSONParserOptions.llm
        XCTAssertEqual(try JSONValue(parsing: text, options: options), .array([.number(JSONNumber("1")!)]),
                       "without the option, the citation is taken for the document")
        options.leadingProseEndsAtObject = true
        let expected: JSONValue = .object(["a": .array([.number(JSONNumber("1")!), .number(JSONNumber("2")!)])])
        XCTAssertEqual(try JSONValue(parsing: text, options: options), expected)
        let bytes = Array(text.utf8)
        let whole = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte]) { cuts in
            events(chunks(of: bytes, at: cuts), options: options)
        }
        XCTAssertNil(whole.error)
        XCTAssertEqual(whole.events.first?.offset, bytes.firstIndex(of: UInt8(ascii: "\"")).map { $0 - 1 })
        XCTAssertEqual(parseError("only [1, 2] and {}", options: options)?.reason, .noValue)
        XCTAssertEqual(try JSONValue(parsing: "[{\"a\": 1}]", options: options), .object(["a": .number(JSONNumber("1")!)]),
                       "an array's bracket is prose too: the object in it is the document")
    }

    func testEachOptionAlone() throws {
        var trailing = JSONParserOptions()
        trailing.allowsTrailingCommas = true
        XCTAssertNoThrow(try JSONValue(parsing: #"{"a": [1, 2,], "b": {"c": 1,},}"#, options: trailing))
        XCTAssertNotNil(parseError("[1,,]", options: trailing), "only one comma")
        XCTAssertNotNil(parseError("[,]", options: trailing), "not a lone comma")
        XCTAssertNotNil(parseError("{,}", options: trailing))

        var prose = JSONParserOptions()
        prose.skipsLeadingProse = true
        XCTAssertNoThrow(try JSONValue(parsing: "```json\n[1]", options: prose))
        XCTAssertNotNil(parseError("```json\n[1]\n```", options: prose), "trailing fence needs its own option")

        var ignoring = JSONParserOptions()
        ignoring.ignoresTrailingContent = true
        XCTAssertNoThrow(try JSONValue(parsing: "[1]\n```\nThanks!", options: ignoring))
        XCTAssertNotNil(parseError("Hi [1]", options: ignoring), "leading prose needs its own option")
    }

    func testMultipleTopLevelValues() throws {
        var options = JSONParserOptions()
        options.allowsMultipleTopLevelValues = true
        let text = "{\"a\":1}\n{\"a\":2}\n[3] 4 \"five\" true\n"
        let bytes = Array(text.utf8)
        let result = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte]) { cuts in
            events(chunks(of: bytes, at: cuts), options: options)
        }
        XCTAssertNil(result.error)
        XCTAssertEqual(result.events.filter { $0.path == .root && ![.objectEnd, .arrayEnd].contains($0.kind) }.count, 6)
        XCTAssertNil(events([], options: options).error, "an empty stream of values is valid")
        XCTAssertNotNil(parseError("[1] x", options: options))
        // A tree is one document: none, or a second one, is an error with these options too
        // (it was a trap, and the last of several values).
        XCTAssertThrowsError(try JSONValue(parsing: "", options: options)) { XCTAssertEqual(($0 as? JSONParseError)?.reason, .noValue) }
        XCTAssertThrowsError(try JSONValue(parsing: "1 2", options: options)) {
            XCTAssertEqual(($0 as? JSONParseError)?.reason, .trailingContent(UInt8(ascii: "2")))
            XCTAssertEqual(($0 as? JSONParseError)?.offset, 2)
        }
        XCTAssertEqual(try JSONValue(parsing: " [3] ", options: options), .array([.number(JSONNumber("3")!)]))
    }
}
