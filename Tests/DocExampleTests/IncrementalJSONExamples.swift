import Foundation
import IncrementalJSON
import PlanStream
import TestSupport
import XCTest

/// IncrementalJSON's doc-comment examples and the README's, verbatim between the markers, with
/// what their comments say checked after them.
final class IncrementalJSONExamples: XCTestCase {
    let chunks = ["{\"metadata\": {\"title\": \"T\"}, \"days\": [{\"day\": 1, \"ti", "tle\": \"Start\"}", "]} 42"].map { Array($0.utf8) }

    func testParser() throws {
        var output: [String] = []
        func print(_ items: Any...) { output.append(items.map { "\($0)" }.joined(separator: " ")) }
        let chunks = ["{\"days\": [{\"day\": 1, \"ti", "tle\": \"Start\"}", "]}"]
        // JSONParser — begin
        let parser = JSONParser()
        for chunk in chunks {
            parser.push(chunk)
            while let token = try parser.nextToken() {
                if token.kind == .key { print(parser.string(of: token), parser.currentPath) }
            }
        }
        parser.endInput()
        while try parser.nextToken() != nil {}   // a trailing top-level number ends here
        // JSONParser — end
        XCTAssertEqual(output, ["days $.days", "day $.days[0].day", "title $.days[0].title"])
    }

    func testTokensInBatches() throws {
        let parser = JSONParser()
        let chunks = ["{\"days\": [{\"day\": 1, \"ti", "tle\": \"Start\", \"note\": \"", "x\"}", "]}"].map { Array($0.utf8) }
        var strings = 0
        // JSONParser.nextTokens(into:) — begin
        let tokens = UnsafeMutableBufferPointer<JSONToken>.allocate(capacity: 256)
        defer { tokens.deallocate() }
        for chunk in chunks {
            parser.push(chunk)
            var count = try parser.nextTokens(into: tokens)
            while count > 0 {
                for token in tokens[..<count] where token.kind == .string { strings += 1 }
                count = try parser.nextTokens(into: tokens)
            }
        }
        parser.endInput()
        while try parser.nextTokens(into: tokens) > 0 {}
        // JSONParser.nextTokens(into:) — end
        XCTAssertEqual(strings, 2)   // "Start" and "x"
        XCTAssertTrue(parser.isComplete)
    }

    func testLenientParser() throws {
        var output: [String] = []
        func print(_ items: Any...) { output.append(items.map { "\($0)" }.joined(separator: " ")) }
        // JSONParser, lenient — begin
        let parser = JSONParser(options: .llm)
        for event in try parser.feed("```json\n{\"days\": [{\"day\": 1}") {
            print(event.offset, event.path, event.kind)
        }
        // JSONParser, lenient — end
        XCTAssertEqual(output.last, "27 $.days[0] objectEnd")
    }

    func testOptions() {
        // JSONParserOptions — begin
        var options = JSONParserOptions.llm            // prose + fence before, prose after, trailing commas
        options.maximumDepth = 64
        let parser = JSONParser(options: options)
        // JSONParserOptions — end
        XCTAssertEqual(parser.options.maximumDepth, 64)
    }

    func testEvent() throws {
        // JSONEvent — begin
        let parser = JSONParser()
        let events = try parser.feed(#"{"days": [{"day": 1}]}"#) + parser.finish()
        events[2]   // JSONEvent(kind: .arrayStart, offset: 9, path: $.days)
        // JSONEvent — end
        XCTAssertEqual(events[2].kind, .arrayStart)
        XCTAssertEqual(events[2].offset, 9)
        XCTAssertEqual(events[2].path, [.key("days")])
    }

    func testParseError() {
        var output: [String] = []
        func print(_ item: Any) { output.append("\(item)") }
        // JSONParseError — begin
        do { _ = try JSONValue(parsing: "[1, 2,]") }
        catch { print(error) }   // trailing comma at line 1, column 6 (byte 5), path $[1]
        // JSONParseError — end
        // JSONParseError.Reason — begin
        do { _ = try JSONValue(parsing: "[1, 2,]") }
        catch let error where error.reason == .trailingComma { print(error.offset) }   // 5 (typed throws: a JSONParseError)
        // JSONParseError.Reason — end
        catch { XCTFail("\(error)") }
        XCTAssertEqual(output, ["trailing comma at line 1, column 6 (byte 5), path $[1]", "5"])
    }

    func testNumber() {
        // JSONNumber — begin
        let n = JSONNumber("1.5e3")!
        n.int          // 1500, since the value is an integer
        n.double       // 1500.0
        JSONNumber("12345678901234567890")!.int   // nil: does not fit in Int
        // JSONNumber — end
        XCTAssertEqual(n.int, 1500)
        XCTAssertEqual(n.double, 1500.0)
        XCTAssertNil(JSONNumber("12345678901234567890")!.int)
    }

    func testPath() {
        var output: [String] = []
        func print(_ item: Any) { output.append("\(item)") }
        // JSONPath — begin
        let path: JSONPath = [.key("days"), .index(3)]
        print(path)   // $.days[3]
        // JSONPath — end
        XCTAssertEqual(output, ["$.days[3]"])
    }

    func testPathPattern() throws {
        let text = "$.days[*]"
        // JSONPathPattern — begin
        let days = try JSONPathPattern(text)            // text = "$.days[*]"; invalid syntax throws
        days.matches([.key("days"), .index(3)])    // true
        let title: JSONPathPattern = "$.metadata.title"   // a literal; an invalid one traps
        // JSONPathPattern — end
        XCTAssertTrue(days.matches([.key("days"), .index(3)]))
        XCTAssertTrue(title.matches([.key("metadata"), .key("title")]))
        XCTAssertThrowsError(try JSONPathPattern("$.days[" + "*"))
    }

    func testMatcher() throws {
        var output: [String] = []
        func print(_ item: Any) { output.append("\(item)") }
        var days: [PlanDay] = []
        // JSONMatcher — begin
        let matcher = JSONMatcher(patterns: ["$.metadata", "$.days[*]"], options: .llm)
        for chunk in chunks {
            matcher.push(chunk)
            while let match = try matcher.nextMatch() {
                switch (match.patternIndex, match.phase) {
                case (1, .started): print("day \(match.ordinal) started at byte \(match.startOffset)")
                case (1, .completed): days.append(try matcher.decode(PlanDay.self, from: match))
                default: break
                }
            }
        }
        matcher.endInput()
        while let match = try matcher.nextMatch() { print(match.path) }   // what ended with the input
        // JSONMatcher — end
        XCTAssertEqual(output, ["day 0 started at byte 38"])
        XCTAssertEqual(days.map(\.title), ["Start"])
    }

    func testMatcherDecodingAndTokenDecoder() throws {
        let matcher = JSONMatcher(patterns: ["$.days[*]"])
        matcher.push(#"{"days": [{"day": 4, "title": "Rest"}]}"#)
        matcher.endInput()
        var match = try XCTUnwrap(matcher.nextMatch())
        while match.phase != .completed { match = try XCTUnwrap(matcher.nextMatch()) }
        do {
            // JSONMatcher.decode — begin
            let day = try matcher.decode(PlanDay.self, from: match)
            // JSONMatcher.decode — end
            XCTAssertEqual(day.day, 4)
        }
        let bytes = matcher.rawBytes(of: match)
        // JSONTokenDecoder — begin
        let day = try JSONTokenDecoder().decode(PlanDay.self, from: bytes)
        // JSONTokenDecoder — end
        XCTAssertEqual(day.title, "Rest")
    }

    func testTokenDecoderFromFoundation() throws {
        // JSONTokenDecoder(JSONDecoder) — begin
        let foundation = JSONDecoder()
        foundation.keyDecodingStrategy = .convertFromSnakeCase
        foundation.dateDecodingStrategy = .iso8601
        let decoder = try JSONTokenDecoder(foundation)
        // JSONTokenDecoder(JSONDecoder) — end
        struct Entry: Decodable, Equatable { var loggedAt: Date }
        XCTAssertEqual(try decoder.decode(Entry.self, from: Array(#"{"logged_at": "2026-11-28T12:00:00Z"}"#.utf8)).loggedAt,
                       Date(timeIntervalSince1970: 1_795_867_200))
    }

    func testValue() throws {
        // JSONValue — begin
        let value = try JSONValue(parsing: #"{"title": "Calm", "days": [1, 2]}"#)
        value["title"]?.stringValue       // "Calm"
        value["days"]?[1]                 // .number(2)
        // JSONValue — end
        XCTAssertEqual(value["title"]?.stringValue, "Calm")
        XCTAssertEqual(value["days"]?[1], .number(JSONNumber("2")!))
    }

    func testSerialization() {
        // JSONValue.serialized — begin
        JSONValue.object(["b": .null, "a": .string("é\n")]).serialized()   // {"b":null,"a":"é\n"}
        // JSONValue.serialized — end
        XCTAssertEqual(JSONValue.object(["b": .null, "a": .string("é\n")]).serialized(), #"{"b":null,"a":"é\n"}"#)
    }

    func testObject() throws {
        var output: [String] = []
        func print(_ items: Any...) { output.append(items.map { "\($0)" }.joined(separator: " ")) }
        // JSONObject — begin
        let value = try JSONValue(parsing: #"{"title": "Calm", "day": 1}"#)
        let object = value.objectValue!
        object["title"]?.stringValue          // "Calm"
        object.keys                           // ["title", "day"]: as written
        for (key, member) in object { print(key, member) }
        let literal: JSONObject = ["title": .string("Calm")]
        // JSONObject — end
        XCTAssertEqual(object["title"]?.stringValue, "Calm")
        XCTAssertEqual(object.keys, ["title", "day"])
        XCTAssertEqual(output, [#"title string("Calm")"#, #"day number(1)"#])
        XCTAssertEqual(literal, JSONObject([(key: "title", value: .string("Calm"))]))
    }

    func testValueBuilder() throws {
        let parser = JSONParser()
        parser.push("[1, {\"a\": true}] ")
        parser.endInput()
        // JSONValueBuilder — begin
        var builder = JSONValueBuilder()
        while let token = try parser.nextToken() { builder.append(token, from: parser) }
        builder.result   // the last complete top-level value
        // JSONValueBuilder — end
        XCTAssertEqual(builder.result, .array([.number(JSONNumber("1")!), .object(["a": .bool(true)])]))
    }

    func testPartialValue() throws {
        let matcher = JSONMatcher(patterns: ["$"], buildsPartialValues: true)
        matcher.push(#"{"title": "Morning wa"#)
        var open: JSONMatch?
        while let match = try matcher.nextMatch() { open = match }
        let partial = matcher.partialValue(of: try XCTUnwrap(open))
        // JSONPartialValue — begin
        // {"title": "Morning wa         (the bytes so far)
        partial.value                          // {"title": "Morning wa"}
        partial.openPath                       // $.title — the member still being written
        partial.completion(at: [.key("title")])      // .inProgress
        partial.completion(at: [.key("notes")])      // .pending (not started, or a number not yet complete)
        // JSONPartialValue — end
        XCTAssertEqual(partial.value, .object(["title": .string("Morning wa")]))
        XCTAssertEqual(partial.openPath, [.key("title")])
        XCTAssertEqual(partial.completion(at: [.key("title")]), .inProgress)
        XCTAssertEqual(partial.completion(at: [.key("notes")]), .pending)

        struct ActivityDraft: Decodable { var name: String? }
        // JSONPartialValue.decode — begin
        struct DayDraft: Decodable { var day: Int?; var title: String?; var activities: [ActivityDraft]? }
        let draft = try partial.decode(DayDraft.self)    // draft.title: the characters so far
        // JSONPartialValue.decode — end
        XCTAssertEqual(draft.title, "Morning wa")
        XCTAssertNil(draft.day)
    }

    func testRepair() throws {
        // JSONRepair — begin
        let parser = JSONParser()
        _ = try parser.feed(#"{"days": [{"day": 1}, {"day": 2, "title": "Mov"#)
        let repair = try parser.repair()
        repair.suffix            // "}]}" — applied to the received bytes: {"days": [{"day": 1}, {"day": 2}]}
        repair.report.cutPath    // $.days[1].title
        // JSONRepair — end
        XCTAssertEqual(repair.suffix, "}]}")
        XCTAssertEqual(repair.report.cutPath.description, "$.days[1].title")
        // RepairedJSON — begin
        let repaired = try RepairedJSON(repairing: "Here you go:\n```json\n[1, 2, 3")
        repaired.text            // [1, 2]
        // RepairedJSON — end
        XCTAssertEqual(repaired.text, "[1, 2]")
    }

    func testTheReadmePushParser() throws {
        var output: [String] = []
        func print(_ items: Any...) { output.append(items.map { "\($0)" }.joined(separator: " ")) }
        // README: push parser — begin
        let parser = JSONParser()                       // strict RFC 8259
        for chunk in ["{\"days\": [{\"day\": 1, \"ti", "tle\": \"Start\"}", "]}"] {
            for event in try parser.feed(chunk) {
                print(event.offset, event.path, event.kind)   // e.g. 30 $.days[0].title string("Start")
            }
        }
        _ = try parser.finish()                         // throws if the document is incomplete
        // README: push parser — end
        XCTAssertTrue(output.contains(#"30 $.days[0].title string("Start")"#), "\(output)")
    }

    func testTheReadmePullParser() throws {
        let bytes = Array("[1, 2.5] ".utf8)
        var handled = 0
        func handle(_ token: JSONToken) { handled += 1 }
        // README: pull parser — begin
        let parser = JSONParser()                       // a parser reads one input: a new one per document
        parser.push(bytes)                              // UnsafeRawBufferPointer, [UInt8], Data or String
        while let token = try parser.nextToken() {
            if token.kind == .number { let n = parser.number(of: token); _ = (n.int, n.double, n.decimal) }
        }
        parser.endInput()
        while let token = try parser.nextToken() { handle(token) }   // a trailing top-level number completes here
        // README: pull parser — end
        XCTAssertEqual(handled, 0, "the array ended before the end of input")
    }

    func testTheReadmeCapturesAndRepair() throws {
        let chunk = try fixture("plan-7d.json")
        // README: captures and repair — begin
        let matcher = JSONMatcher(patterns: ["$.metadata", "$.days[*]"])
        matcher.push(chunk)
        while let match = try matcher.nextMatch() {
            guard match.patternIndex == 1, match.phase == .completed else { continue }
            let day = try matcher.decode(PlanDay.self, from: match)   // JSONTokenDecoder, straight from the bytes
        }

        let repaired = try RepairedJSON(repairing: "Sure:\n```json\n{\"days\": [{\"day\": 1}, {\"day\": 2, \"ti")
        repaired.text     // {"days": [{"day": 1}, {"day": 2}]}
        repaired.report   // kept 31 bytes, dropped 5, closed 3 containers, cut at $.days[1]
        // README: captures and repair — end
        XCTAssertEqual(repaired.text, #"{"days": [{"day": 1}, {"day": 2}]}"#)
        XCTAssertEqual("\(repaired.report)", "kept 31 bytes, dropped 5, closed 3 containers, cut at $.days[1]")
    }
}
