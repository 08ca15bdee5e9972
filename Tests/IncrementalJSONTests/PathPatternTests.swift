import XCTest
@testable import IncrementalJSON

final class PathPatternTests: XCTestCase {
    func testParsesEverySyntax() throws {
        let cases: [(String, [JSONPathPattern.Component])] = [
            ("$", []),
            ("$.metadata", [.key("metadata")]),
            ("$.days[*]", [.key("days"), .anyIndex]),
            ("$.days[*].activities[*]", [.key("days"), .anyIndex, .key("activities"), .anyIndex]),
            ("$.plan.days[2]", [.key("plan"), .key("days"), .index(2)]),
            (#"$["key with spaces"]"#, [.key("key with spaces")]),
            (#"$['single quoted']"#, [.key("single quoted")]),
            (#"$["q\"uote"]['it\'s']"#, [.key("q\"uote"), .key("it's")]),
            (#"$["caf\u00e9"].x-y._z$"#, [.key("café"), .key("x-y"), .key("_z$")]),
            ("$.*[0]", [.anyKey, .index(0)]),
        ]
        for (text, components) in cases {
            let pattern = try JSONPathPattern(text)
            XCTAssertEqual(pattern.components, components, text)
            XCTAssertEqual(try JSONPathPattern(pattern.description), pattern, "description round-trips: \(pattern)")
        }
    }

    func testRejectsMalformedPatterns() {
        let cases: [(String, Int)] = [
            ("", 0), ("days", 0), ("$.", 2), ("$days", 1), ("$[", 2), ("$[x]", 2), ("$[1", 3),
            (#"$["open"#, 2), ("$.a..b", 4), ("$[-1]", 2), ("$[99999999999999999999]", 2), (#"$["\q"]"#, 2),
        ]
        for (text, offset) in cases {
            XCTAssertThrowsError(try JSONPathPattern(text), text) { error in
                XCTAssertEqual((error as? JSONPathPattern.ParseError)?.offset, offset, "\(text): \(error)")
            }
        }
    }

    func testMatching() {
        let days: JSONPathPattern = "$.days[*]"
        XCTAssertTrue(days.matches([.key("days"), .index(0)]))
        XCTAssertFalse(days.matches([.key("days")]))
        XCTAssertFalse(days.matches([.key("days"), .key("0")]))
        XCTAssertFalse(days.matches([.key("days"), .index(0), .key("title")]))
        XCTAssertTrue(JSONPathPattern("$.*").matches([.key("anything")]))
        XCTAssertTrue(JSONPathPattern("$").matches(.root))
    }
}

final class MatcherTests: XCTestCase {
    struct Capture: Equatable {
        var match: JSONMatch
        var raw: [UInt8]?
    }

    func captures(_ bytes: [UInt8], patterns: [JSONPathPattern], cuts: [Int], options: JSONParserOptions = .strict) throws -> [Capture] {
        let matcher = JSONMatcher(patterns: patterns, options: options)
        var result: [Capture] = []
        for chunk in chunks(of: bytes, at: cuts) {
            matcher.push(chunk)
            while let match = try matcher.nextMatch() {
                result.append(Capture(match: match, raw: match.phase == .completed ? matcher.rawBytes(of: match) : nil))
            }
        }
        matcher.endInput()
        while let match = try matcher.nextMatch() {
            result.append(Capture(match: match, raw: match.phase == .completed ? matcher.rawBytes(of: match) : nil))
        }
        return result
    }

    func testCapturesDaysAndMetadataAtEverySplit() throws {
        let bytes = try fixture("plan-7d.min.json")
        let patterns: [JSONPathPattern] = ["$.metadata", "$.days[*]", "$.days[*].activities[*].name", "$.metadata.duration.value"]
        let whole = try captures(bytes, patterns: patterns, cuts: [])
        let days = whole.filter { $0.match.patternIndex == 1 && $0.match.phase == .completed }
        XCTAssertEqual(days.map(\.match.ordinal), Array(0..<7))
        let plan = try JSONValue(parsing: bytes)
        for day in days {
            XCTAssertEqual(Array(bytes[day.match.startOffset..<day.match.endOffset]), day.raw)
            XCTAssertEqual(try JSONValue(parsing: day.raw!), plan["days"]?[day.match.ordinal])
            XCTAssertEqual(day.match.path, [.key("days"), .index(day.match.ordinal)])
            XCTAssertEqual(bytes[day.match.endOffset - 1], ASCII.closeBrace)
        }
        XCTAssertEqual(whole.first { $0.match.patternIndex == 3 && $0.match.phase == .completed }?.raw, Array("7".utf8))
        XCTAssertGreaterThan(whole.filter { $0.match.patternIndex == 2 }.count, 14)
        XCTAssertEqual(try SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte]) { cuts in
            try captures(bytes, patterns: patterns, cuts: cuts)
        }, whole)
    }

    func testRootEscapedKeysAndNesting() throws {
        let text = #"{"a b": [1, {"x": 2}], "c\u0020d": true, "n": {"n": {"n": 3}}}"#
        let result = try captures(Array(text.utf8), patterns: ["$", #"$["a b"][1]"#, #"$["c d"]"#, "$.n.n", "$.*"], cuts: [])
        let completed = result.filter { $0.match.phase == .completed }
        func raw(_ pattern: Int) -> [String] { completed.filter { $0.match.patternIndex == pattern }.map { String(decoding: $0.raw!, as: UTF8.self) } }
        XCTAssertEqual(raw(0), [text])
        XCTAssertEqual(raw(1), [#"{"x": 2}"#])
        XCTAssertEqual(raw(2), ["true"], "a key written with an escape matches its decoded form")
        XCTAssertEqual(raw(3), [#"{"n": 3}"#])
        XCTAssertEqual(raw(4).count, 3)
        XCTAssertEqual(result.first?.match.phase, .started)
    }

    func testKeepsOnlyTheOpenCapture() throws {
        // A long document with one small captured value per element: the buffer must stay small.
        var text = "{\"items\": ["
        for i in 0..<20_000 { text += "{\"id\": \(i), \"name\": \"item number \(i)\"}," }
        text += "{}]}"
        let bytes = Array(text.utf8)
        let matcher = JSONMatcher(patterns: ["$.items[*]"])
        var largestBuffer = 0
        var count = 0
        for start in stride(from: 0, to: bytes.count, by: 512) {
            matcher.push(bytes[start..<min(start + 512, bytes.count)])
            while let match = try matcher.nextMatch() {
                if match.phase == .completed { count += 1 }
            }
            largestBuffer = max(largestBuffer, matcher.parser.count)
        }
        matcher.endInput()
        while try matcher.nextMatch() != nil {}
        XCTAssertEqual(count, 20_001)
        XCTAssertLessThan(largestBuffer, 8192, "memory follows the open capture, not the \(bytes.count)-byte document")
    }

    func testDecodesCapturedValues() throws {
        struct Day: Decodable, Equatable { var day: Int; var title: String }
        let matcher = JSONMatcher(patterns: ["$.days[*]"])
        matcher.push(#"{"days": [{"day": 1, "title": "Caf\u00e9 ☕"}]}"#)
        matcher.endInput()
        var days: [Day] = []
        var values: [JSONValue] = []
        while let match = try matcher.nextMatch() {
            guard match.phase == .completed else { continue }
            days.append(try matcher.decode(Day.self, from: match))
            values.append(try matcher.decode(JSONValue.self, from: match))
        }
        XCTAssertEqual(days, [Day(day: 1, title: "Café ☕")])
        XCTAssertEqual(values.first?["title"]?.stringValue, "Café ☕")
    }

    /// A scalar match's value is read from its bytes (no parser of its own): it is what parsing
    /// those bytes again gives, for every kind of scalar, escapes included.
    func testValuesOfScalarMatches() throws {
        let text = #"{"v": ["plain", "esc\"aped \u00e9\ud83c\udf31", "", -12.5e3, 0, 7, true, false, null, [1], {"a": "b"}]}"#
        let matcher = JSONMatcher(patterns: ["$.v[*]"], options: .llm)
        matcher.push(text)
        matcher.endInput()
        var values: [JSONValue] = []
        while let match = try matcher.nextMatch() {
            guard match.phase == .completed else { continue }
            let value = matcher.value(of: match)
            XCTAssertEqual(value, try JSONValue(parsing: matcher.rawBytes(of: match)), String(decoding: matcher.rawBytes(of: match), as: UTF8.self))
            values.append(value)
        }
        XCTAssertEqual(values.count, 11)
        XCTAssertEqual(values[1].stringValue, "esc\"aped \u{e9}\u{1F331}")
        XCTAssertEqual(values[3].numberValue?.text, "-12.5e3")
        XCTAssertEqual(values[5].numberValue?.int, 7)
    }
}
