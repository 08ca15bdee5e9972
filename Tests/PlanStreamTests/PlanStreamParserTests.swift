import Foundation
import XCTest
import IncrementalJSON
@testable import PlanStream

final class PlanStreamParserTests: XCTestCase {
    /// `dayCompleted` offsets from the parser's event stream: each day's closing brace + 1.
    func closingBraceOffsets(_ bytes: [UInt8], options: JSONParserOptions = .strict) throws -> [Int] {
        let parser = JSONParser(options: options)
        var ends: [Int] = []
        parser.push(bytes)
        parser.endInput()
        while let token = try parser.nextToken() {
            let path = parser.currentPath.components
            if token.kind == .objectEnd, path.count == 2, path[0] == .key("days") { ends.append(token.offset + 1) }
        }
        return ends
    }

    func testDefaultModelsOnEveryFixture() throws {
        for (name, options) in [("plan-7d.json", JSONParserOptions.strict), ("plan-30d.min.json", .strict),
                                ("plan-90d.json", .strict), ("plan-7d.fenced.txt", .llm), ("plan-30d.prose.txt", .llm)] {
            let bytes = try fixture(name)
            var schema = PlanSchema()
            schema.parserOptions = options
            let parser = PlanStreamParser(schema: schema, metadata: PlanMetadata.self, day: PlanDay.self)
            let events = try parser.feed(bytes) + parser.finish()
            guard case .completed(let plan)? = events.last else { return XCTFail("\(name): \(events.last.map(describe) ?? "nothing")") }
            let reference = name.hasPrefix("plan-7d") ? "plan-7d.json" : name.contains("30d") ? "plan-30d.json" : name
            let expected = try JSONDecoder().decode(ReferencePlan.self, from: Data(try fixture(reference)))
            XCTAssertEqual(plan.metadata, expected.metadata, name)
            XCTAssertEqual(plan.days, expected.days, name)
            XCTAssertEqual(plan.warnings, [], name)
            XCTAssertEqual(events.filter { if case .dayCompleted = $0 { return true } else { return false } }.count, expected.days.count)
        }
    }

    struct ReferencePlan: Decodable {
        var metadata: PlanMetadata
        var days: [PlanDay]
    }

    /// A model that cites `[1]` or writes `{}` in its preamble: the plan is the object after it, not
    /// the citation (which the lenient parser took for the document, the plan then ignored as
    /// trailing content: zero days, completed). A schema whose days are the root array still reads one.
    func testPreambleCitationsAreNotThePlan() throws {
        let plan = try fixture("plan-7d.json")
        let text = Array("Here is your plan, following the guidelines in [1] and [2] (an empty day is {}):\n```json\n".utf8)
            + plan + Array("\n```\n[1] Sleep Foundation.\n".utf8)
        let originalDays = try XCTUnwrap(JSONValue(parsing: plan)["days"]?.arrayValue)
        for chunkSize in [1, 5, text.count] {
            let parser = PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self)
            var events: [PlanEvent<JSONValue, JSONValue>] = []
            for start in stride(from: 0, to: text.count, by: chunkSize) {
                events += try parser.feed(text[start..<min(start + chunkSize, text.count)])
            }
            events += parser.finish()
            guard case .completed(let completed)? = events.last else { return XCTFail("chunks of \(chunkSize)") }
            XCTAssertEqual(completed.days, originalDays, "chunks of \(chunkSize)")
            XCTAssertEqual(completed.warnings, [])
        }

        var rootArray = PlanSchema()
        rootArray.dayPath = "$[*]"
        let days = Array("Your days:\n```json\n[{\"day\": 1}, {\"day\": 2}]\n```".utf8)
        let parser = PlanStreamParser(schema: rootArray, metadata: JSONValue.self, day: JSONValue.self)
        let events = try parser.feed(days) + parser.finish()
        guard case .completed(let completed)? = events.last else { return XCTFail() }
        XCTAssertEqual(completed.days.count, 2, "a root array is still found after prose")
    }

    /// Each value event carries its JSON exactly as it arrived (keys the typed models do not know
    /// included) and its byte range, whatever the chunking.
    func testEventsCarryTheirRawJSON() throws {
        var bytes = try fixture("plan-7d.json")
        // A key PlanDay does not know, to show that the raw JSON is the input's, not re-encoded.
        let marker = Array(#""day": 1,"#.utf8)
        let at = try XCTUnwrap(bytes.indices.first { bytes[$0...].starts(with: marker) })
        bytes.replaceSubrange(at..<at + marker.count, with: Array(#""day": 1, "x-extra": [1, 2.50],"#.utf8))
        let original = try JSONValue(parsing: bytes)
        for chunkSize in [1, 7, 4096] {
            let parser = PlanStreamParser()
            var raws: [Int: RawJSON] = [:]
            var metadata: RawJSON?
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                for event in try parser.feed(bytes[start..<min(start + chunkSize, bytes.count)]) {
                    if case .dayCompleted(let index, _, let raw) = event { raws[index] = raw }
                    if case .metadataReady(_, let raw) = event { metadata = raw }
                }
            }
            XCTAssertEqual(raws.count, 7)
            for (index, raw) in raws {
                XCTAssertEqual(raw.bytes, Array(bytes[raw.range]), "chunk \(chunkSize)")
                XCTAssertEqual(try JSONValue(parsing: raw.text), original["days"]?[index])
            }
            XCTAssertTrue(raws[0]!.text.contains(#""x-extra": [1, 2.50]"#))
            XCTAssertEqual(try JSONValue(parsing: try XCTUnwrap(metadata).text), original["metadata"])
            XCTAssertEqual(Set(raws.values).count, 7, "equal and hashed by bytes and range")
        }
    }

    /// A model's trailing commas, which the lenient default accepts, are left out of the raw JSON
    /// (as out of the completed plan): what a relay forwards or a cache stores is strict JSON, at
    /// every split. The range is still where the value was in the stream.
    func testRawJSONLeavesOutTheTrailingCommasAccepted() throws {
        let text = #"{"metadata": {"title": "T",}, "days": [{"day": 1, "tips": ["a", "b",], "x": {},}, {"day": 2},], }"#
        let bytes = Array(text.utf8)
        let expected = [#"{"title": "T"}"#, #"{"day": 1, "tips": ["a", "b"], "x": {}}"#, #"{"day": 2}"#]
        let whole = try SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte, .random(count: 20, maximumChunk: 6)]) { cuts in
            let parser = PlanStreamParser()
            var raws: [RawJSON] = []
            for chunk in chunks(of: bytes, at: cuts) {
                for event in try parser.feed(chunk) {
                    switch event {
                    case .metadataReady(_, let raw), .dayCompleted(_, _, let raw): raws.append(raw)
                    default: break
                    }
                }
            }
            return raws
        }
        XCTAssertEqual(whole.map(\.text), expected)
        XCTAssertEqual(whole.map { String(decoding: $0.bytes, as: UTF8.self) }, expected)
        for raw in whole {
            XCTAssertNoThrow(try JSONValue(parsing: raw.bytes, options: .strict), raw.text)
            XCTAssertTrue(String(decoding: bytes[raw.range], as: UTF8.self).hasSuffix("}"), "the range is the value's own")
        }
        XCTAssertEqual(zip(whole, expected).map { $0.range.count - $1.utf8.count }, [1, 2, 0], "the range counts the commas left out")
        XCTAssertEqual(Set(whole).count, 3)
    }

    /// Raw JSON and partial plans handed out keep their bytes while the parser goes on appending
    /// (its storage grows several times here), is read on other tasks meanwhile, and is gone.
    func testValuesHandedOutKeepTheirBytesAsTheParserGrowsAndGoes() async throws {
        let bytes = try fixture("plan-90d.min.json")
        let original = try JSONValue(parsing: bytes)
        var raws: [(Int, RawJSON)] = []
        var partials: [(Int, PartialPlan<PlanMetadata, PlanDay>)] = []
        var readers: [Task<Bool, Never>] = []
        do {
            let parser = PlanStreamParser()
            for start in stride(from: 0, to: bytes.count, by: 5) {
                for event in try parser.feed(bytes[start..<min(start + 5, bytes.count)]) {
                    guard case .dayCompleted(let index, _, let raw) = event else { continue }
                    raws.append((index, raw))
                    let partial = parser.partialPlan
                    partials.append((index, partial))
                    // Read while the parser appends.
                    let expected = original["days"]?[index]
                    readers.append(Task.detached { (try? JSONValue(parsing: raw.text)) == expected && partial.json != nil })
                }
            }
        }
        for reader in readers { let intact = await reader.value; XCTAssertTrue(intact) }
        XCTAssertEqual(raws.count, 90)
        for (index, raw) in raws {
            XCTAssertEqual(raw.bytes, Array(bytes[raw.range]))
            XCTAssertEqual(try JSONValue(parsing: raw.text), original["days"]?[index])
        }
        for (index, partial) in partials {
            let days = try XCTUnwrap(try JSONValue(parsing: XCTUnwrap(partial.json))["days"])
            XCTAssertEqual(days, JSONValue.array((0...index).map { original["days"]![$0]! }))
        }
    }

    /// A nested plan in snake case with ISO dates: the schema says where each part is, the
    /// decoder's strategies read the keys and dates — no Foundation decoder involved.
    func testNestedSnakeCasePlanWithDecoderStrategies() throws {
        struct Meta: Decodable, Equatable { var planTitle: String; var startsOn: Date }
        struct Day: Decodable, Equatable { var n: Int; var focusArea: String }
        var schema = PlanSchema()
        schema.metadataPath = "$.plan.meta"
        schema.dayPath = "$.plan.schedule[*]"
        schema.expectedDays = .path("$.plan.meta.length")
        schema.dayNumberKey = "n"
        var decoder = JSONTokenDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        let parser = PlanStreamParser(schema: schema, metadata: Meta.self, day: Day.self, decoder: decoder)
        let text = #"{"plan": {"meta": {"plan_title": "Calm", "starts_on": "2026-12-01T00:00:00Z", "length": 2}, "schedule": [{"n": 1, "focus_area": "sleep"}, {"n": 2, "focus_area": "food"}]}}"#
        var events: [PlanEvent<Meta, Day>] = []
        for byte in text.utf8 { events += try parser.feed([byte]) }
        guard case .completed(let plan)? = parser.finish().last else { return XCTFail("not completed") }
        XCTAssertEqual(plan.metadata, Meta(planTitle: "Calm", startsOn: Date(timeIntervalSince1970: 1_796_083_200)))
        XCTAssertEqual(plan.days, [Day(n: 1, focusArea: "sleep"), Day(n: 2, focusArea: "food")])
        XCTAssertEqual(plan.warnings, [])
        XCTAssertTrue(events.contains { if case .progress(let p) = $0 { p.expectedDays == 2 } else { false } })
    }

    /// Events, plans and partial plans compare when their types do: two chunkings give equal events.
    func testEventsAreEquatableWhenTheirTypesAre() throws {
        let bytes = try fixture("plan-7d.json")
        func events(chunkSize: Int, cutAt end: Int) throws -> [PlanEvent<PlanMetadata, PlanDay>] {
            let parser = PlanStreamParser()
            var events: [PlanEvent<PlanMetadata, PlanDay>] = []
            for start in stride(from: 0, to: end, by: chunkSize) {
                events += try parser.feed(bytes[start..<min(start + chunkSize, end)])
            }
            return (events + parser.finish()).filter { if case .progress = $0 { false } else { true } }
        }
        XCTAssertEqual(try events(chunkSize: 5, cutAt: bytes.count), try events(chunkSize: 4096, cutAt: bytes.count))
        XCTAssertEqual(try events(chunkSize: 5, cutAt: 6000), try events(chunkSize: 4096, cutAt: 6000))
        XCTAssertNotEqual(try events(chunkSize: 5, cutAt: 6000).last, try events(chunkSize: 5, cutAt: 7000).last)
        XCTAssertEqual(Set(try events(chunkSize: 64, cutAt: bytes.count)).count, 7 + 7 + 2, "metadata, 7 starts, 7 days, completed")
    }

    /// The same events, each `dayCompleted` at its closing brace + 1, for every split; and each
    /// event returned by the feed that carried its last byte.
    func testSameEventsAtEverySplitWithZeroLag() throws {
        let bytes = try fixture("plan-7d.min.json")
        let braces = try closingBraceOffsets(bytes)
        func makeParser() -> PlanStreamParser<JSONValue, JSONValue> {
            PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self)
        }
        let whole = planEvents(bytes, cuts: [], parser: makeParser())
        let completedRanges = whole.filter { $0.text.hasPrefix("dayCompleted") }.map { $0.range!.upperBound }
        XCTAssertEqual(completedRanges, braces)
        XCTAssertEqual(whole.last?.text, "completed 7 0 []")
        for cut in stride(from: 0, through: bytes.count, by: 5) {
            let split = planEvents(bytes, cuts: [cut], parser: makeParser())
            XCTAssertEqual(splitIndependent(split).filter { !$0.text.hasPrefix("progress") },
                           splitIndependent(whole).filter { !$0.text.hasPrefix("progress") }, "split at \(cut)")
            for record in split where record.text.hasPrefix("dayCompleted") {
                let lastByte = record.range!.upperBound - 1
                XCTAssertEqual(record.chunk, lastByte < cut ? 0 : 1, "zero lag: \(record) split at \(cut)")
            }
        }
        // Byte by byte: every dayCompleted comes from the push of its closing brace.
        let drip = planEvents(bytes, cuts: Array(1..<bytes.count), parser: makeParser())
        for record in drip where record.text.hasPrefix("dayCompleted") {
            XCTAssertEqual(record.chunk, record.range!.upperBound - 1)
        }
    }

    func testRandomSplitsOfLargePlans() throws {
        for name in ["plan-30d.json", "plan-90d.min.json"] {
            let bytes = try fixture(name)
            let braces = try closingBraceOffsets(bytes)
            let whole = SplitVerifier.verify(bytes, [.random(count: 4, maximumChunk: 1500), .random(count: 1, maximumChunk: 9)], name) { cuts in
                splitIndependent(planEvents(bytes, cuts: cuts, parser: PlanStreamParser()))
                    .filter { !$0.text.hasPrefix("progress") }
            }
            XCTAssertEqual(whole.filter { $0.text.hasPrefix("dayCompleted") }.map { $0.range!.upperBound }, braces)
        }
    }

    func testADayThatFailsToDecodeIsReportedAndTheStreamGoesOn() throws {
        let text = #"{"metadata": {"title": "T"}, "days": [{"day": 1}, {"day": "two", "title": "x"}, {"day": 3}]}"#
        let parser = PlanStreamParser()
        let events = try parser.feed(text) + parser.finish()
        let descriptions = events.map(describe)
        XCTAssertTrue(descriptions.contains { $0.hasPrefix("dayFailed 1 expected Int at .day") }, "\(descriptions)")
        XCTAssertTrue(descriptions.contains { $0.hasSuffix(#"{"day": "two", "title": "x"}"#) }, "raw JSON kept")
        guard case .completed(let plan)? = events.last else { return XCTFail() }
        XCTAssertEqual(plan.days.map(\.day), [1, 3])
        XCTAssertEqual(plan.failedDays.map(\.index), [1])
        XCTAssertEqual(plan.failedDays.first?.rawJSON, #"{"day": "two", "title": "x"}"#)
        XCTAssertEqual(plan.warnings, [.dayFailed(index: 1)])
    }

    func testMetadataAfterDaysNoMetadataZeroDaysAndNestedSchema() throws {
        let after = PlanStreamParser()
        let afterEvents = try after.feed(#"{"days": [{"day": 1}], "metadata": {"title": "Late", "duration": {"value": 1}}}"#) + after.finish()
        XCTAssertEqual(afterEvents.map(describe).map { String($0.prefix(13)) },
                       ["dayStarted 0", "dayCompleted ", "progress 1/?", "progress 1/1", "metadataReady", "completed 1 0"])

        let none = PlanStreamParser()
        guard case .completed(let plan)? = (try none.feed(#"{"days": [{"day": 1}, {"day": 2}]}"#) + none.finish()).last else { return XCTFail() }
        XCTAssertNil(plan.metadata)
        XCTAssertEqual(plan.warnings, [.missingMetadata])

        let empty = PlanStreamParser()
        let emptyEvents = try empty.feed(#"{"metadata": {"title": "Nothing", "duration": {"value": 3}}, "days": []}"#) + empty.finish()
        guard case .completed(let emptyPlan)? = emptyEvents.last else { return XCTFail() }
        XCTAssertEqual(emptyPlan.days, [])
        XCTAssertEqual(emptyPlan.warnings, [.fewerDaysThanExpected(expected: 3, actual: 0)])

        var schema = PlanSchema()
        schema.metadataPath = "$.plan.info"
        schema.dayPath = "$.plan.schedule[*]"
        schema.dayNumberKey = "n"
        schema.expectedDays = .fixed(2)
        let nested = PlanStreamParser(schema: schema, metadata: JSONValue.self, day: JSONValue.self)
        let nestedEvents = try nested.feed(#"{"plan": {"info": {"name": "N"}, "schedule": [{"n": 1}, {"n": 2}]}}"#) + nested.finish()
        XCTAssertEqual(nestedEvents.map(describe).filter { $0.hasPrefix("day") || $0.hasPrefix("progress") },
                       [#"dayStarted 0"#, #"dayCompleted 0 {"n":1}"#, "progress 1/2",
                        #"dayStarted 1"#, #"dayCompleted 1 {"n":2}"#, "progress 2/2"])
        guard case .completed(let nestedPlan)? = nestedEvents.last else { return XCTFail() }
        XCTAssertEqual(nestedPlan.warnings, [])
    }

    func testWarnings() throws {
        func warnings(_ text: String) throws -> [PlanWarning] {
            let parser = PlanStreamParser()
            guard case .completed(let plan)? = (try parser.feed(text) + parser.finish()).last else { return [] }
            return plan.warnings
        }
        let meta = #""metadata": {"title": "W", "duration": {"value": 3}}"#
        XCTAssertEqual(try warnings("{\(meta), \"days\": [{\"day\": 1}, {\"day\": 3}, {\"day\": 4}]}"),
                       [.dayNumberGap(index: 1, expected: 2, found: 3)])
        XCTAssertEqual(try warnings("{\(meta), \"days\": [{\"day\": 1}, {\"day\": 1}, {\"day\": 2}]}"),
                       [.dayNumberRepeated(index: 1, number: 1)])
        XCTAssertEqual(try warnings("{\(meta), \"days\": [{\"day\": 1}]}"), [.fewerDaysThanExpected(expected: 3, actual: 1)])
        XCTAssertEqual(try warnings("{\(meta), \"days\": [{\"day\": 1}, {\"day\": 2}, {\"day\": 3}, {\"day\": 4}]}"),
                       [.moreDaysThanExpected(expected: 3, actual: 4)])
    }

    func testProgress() throws {
        let parser = PlanStreamParser()
        let events = try parser.feed(try fixture("plan-30d.json"))
        let fractions = events.compactMap { event -> Double? in
            if case .progress(let progress) = event { return progress.fraction }
            return nil
        }
        // Once when the length becomes known (in the metadata), then after every day.
        XCTAssertEqual(fractions.count, 31)
        XCTAssertEqual(fractions.last, 1)
        XCTAssertEqual(fractions.first, 0)
        XCTAssertEqual(fractions[1], 1.0 / 30, accuracy: 1e-12)
    }
}

final class LenientCaptureTests: XCTestCase {
    /// A day the lenient parser accepted (trailing commas) decodes like any other day.
    func testTrailingCommasInsideADay() throws {
        let text = "```json\n" + #"{"metadata": {"title": "T",}, "days": [{"day": 1, "tips": ["a", "b",],}, {"day": 2},]}"# + "\n```"
        let typed = PlanStreamParser()
        guard case .completed(let plan)? = (try typed.feed(text) + typed.finish()).last else { return XCTFail() }
        XCTAssertEqual(plan.days.map(\.tips), [["a", "b"], nil])
        XCTAssertEqual(plan.metadata?.title, "T")
        let any = PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self)
        guard case .completed(let values)? = (try any.feed(text) + any.finish()).last else { return XCTFail() }
        XCTAssertEqual(values.days.first?["tips"], .array([.string("a"), .string("b")]))
        XCTAssertNoThrow(try JSONValue(parsing: values.json), "the plan's JSON leaves the trailing commas out")
    }
}
