import Foundation
import XCTest
import IncrementalJSON
@testable import PlanStream

final class PartialPlanTests: XCTestCase {
    typealias AnyPlanParser = PlanStreamParser<JSONValue, JSONValue>

    func makeParser(_ options: JSONParserOptions = .strict) -> AnyPlanParser {
        var schema = PlanSchema()
        schema.parserOptions = options
        return AnyPlanParser(schema: schema, metadata: JSONValue.self, day: JSONValue.self)
    }

    /// At every cut: the partial plan is valid JSON holding exactly the days completed before the
    /// cut, equal to the originals; the day in progress and partial metadata are repaired.
    func testPartialPlanAtEveryCut() throws {
        let bytes = try fixture("plan-7d.min.json")
        let original = try JSONValue(parsing: bytes)
        let originalDays = original["days"]!.arrayValue!
        let parser = makeParser()
        var completed = 0
        for cut in 0...bytes.count {
            if cut > 0 {
                for event in try parser.feed(bytes[(cut - 1)..<cut]) {
                    if case .dayCompleted = event { completed += 1 }
                }
            }
            guard cut % 3 == 0 || cut == bytes.count else { continue }
            let partial = parser.partialPlan
            XCTAssertEqual(partial.nextDayIndex, completed)
            XCTAssertEqual(partial.days, Array(originalDays.prefix(completed)), "cut \(cut)")
            guard let json = partial.json else {
                XCTAssertLessThan(cut, 2, "a plan exists once its first bracket arrived")
                continue
            }
            let value = try JSONValue(parsing: json)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)))
            XCTAssertEqual(value["days"]?.arrayValue ?? [], Array(originalDays.prefix(completed)), "cut \(cut): no half day")
            if completed < originalDays.count, partial.dayInProgress != nil {
                XCTAssertEqual(partial.cutPath?.components.prefix(2).last, .index(completed), "cut \(cut)")
            }
            if partial.metadata == nil, let partialMetadata = partial.partialMetadata {
                for (key, member) in partialMetadata.value.objectValue ?? [:]
                where partialMetadata.completion(at: [.key(key)]) == .complete {
                    XCTAssertEqual(original["metadata"]?[key], member, "cut \(cut): metadata \(key)")
                }
            }
        }
    }

    func testFinishOnATruncatedStreamDeliversThePartialPlan() throws {
        let bytes = try fixture("plan-30d.json")
        let cut = Array(bytes.prefix(bytes.count * 2 / 3))
        let parser = PlanStreamParser()
        _ = try parser.feed(cut)
        let events = parser.finish()
        guard case .partial(let partial)? = events.last else { return XCTFail("\(events.map(describe))") }
        XCTAssertNil(partial.error)
        XCTAssertEqual(partial.metadata?.title, "30-Day Wellness Reset 🌱")
        XCTAssertEqual(partial.days.count, partial.nextDayIndex)
        XCTAssertGreaterThan(partial.days.count, 15)
        XCTAssertEqual(partial.dayInProgress?.value["day"]?.numberValue?.int, partial.nextDayIndex + 1)
        XCTAssertEqual(partial.expectedDays, 30)
        let saved = try JSONDecoder().decode(PartialPlanTests.SavedPlan.self, from: Data(partial.json!.utf8))
        XCTAssertEqual(saved.days, partial.days)
        XCTAssertEqual(saved.metadata, partial.metadata)
    }

    struct SavedPlan: Decodable {
        var metadata: PlanMetadata?
        var days: [PlanDay]
    }

    func testInvalidJSONKeepsEveryCompletedDay() throws {
        let parser = makeParser(.llm)
        let text = "```json\n" + #"{"metadata": {"title": "T"}, "days": [{"day": 1}, {"day": 2}, {"day": 3, oops}]}"#
        // The chunk's events before the invalid byte come first; then the parser stays failed.
        let completed = try parser.feed(text).filter { if case .dayCompleted = $0 { true } else { false } }
        XCTAssertEqual(completed.count, 2)
        for _ in 0..<2 {
            XCTAssertThrowsError(try parser.feed("]}")) { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, 81)
            }
        }
        XCTAssertEqual(parser.error?.offset, 81)
        let events = parser.finish()
        guard case .partial(let partial)? = events.last else { return XCTFail() }
        XCTAssertEqual(partial.days.count, 2)
        XCTAssertEqual(partial.error?.offset, 81)
        XCTAssertEqual(partial.json, #"{"metadata": {"title": "T"}, "days": [{"day": 1}, {"day": 2}]}"#)
    }

    func testMetadataCutIsRepairedSeparately() throws {
        let parser = PlanStreamParser()
        _ = try parser.feed(#"{"metadata": {"title": "Calm", "goals": ["Sleep", "Mo"#)
        let partial = parser.partialPlan
        XCTAssertNil(partial.metadata)
        // The metadata as far as it arrived, the string being written included; the plan's JSON
        // keeps only what is complete.
        XCTAssertEqual(partial.partialMetadata?.value,
                       .object(["title": .string("Calm"), "goals": .array([.string("Sleep"), .string("Mo")])]))
        XCTAssertEqual(partial.partialMetadata?.openPath, [.key("goals"), .index(1)])
        XCTAssertEqual(partial.json, #"{"metadata": {"title": "Calm", "goals": ["Sleep"]}}"#)
        XCTAssertEqual(partial.nextDayIndex, 0)
    }

    /// A second stream with the remaining days merges into the partial plan: one plan, equal to
    /// the uncut original, whether the second stream numbers from N or from 1.
    func testContinuationMergesIntoOnePlan() throws {
        let bytes = try fixture("plan-7d.json")
        let original = try JSONValue(parsing: bytes)
        let originalDays = original["days"]!.arrayValue!
        for renumberFromOne in [false, true] {
            let first = makeParser()
            _ = try first.feed(bytes.prefix(bytes.count / 2))
            guard case .partial(let partial)? = first.finish().last else { return XCTFail() }
            let done = partial.nextDayIndex
            XCTAssertEqual(done, 3)

            let rest = originalDays[done...].enumerated().map { offset, day -> JSONValue in
                guard renumberFromOne, case .object(var members) = day else { return day }
                members["day"] = .number(JSONNumber("\(offset + 1)")!)
                return .object(members)
            }
            let second = "Continuing from day \(done + 1):\n```json\n{\"days\": [" + rest.map { $0.serialized() }.joined(separator: ",\n") + "]}\n```"
            let continuation = AnyPlanParser(continuing: partial, schema: { var s = PlanSchema(); s.parserOptions = .llm; return s }())
            let events = try continuation.feed(second) + continuation.finish()
            XCTAssertEqual(events.compactMap { event -> Int? in
                if case .dayCompleted(let index, _, _) = event { return index }
                return nil
            }, Array(done..<7))
            guard case .completed(let plan)? = events.last else { return XCTFail(events.map(describe).joined()) }
            XCTAssertEqual(plan.metadata, original["metadata"])
            XCTAssertEqual(plan.days.count, 7)
            XCTAssertEqual(Array(plan.days.prefix(done)), Array(originalDays.prefix(done)))
            XCTAssertEqual(Array(plan.days.suffix(from: done)), rest)
            XCTAssertEqual(plan.warnings, [], "renumbered from one: \(renumberFromOne)")
            let merged = try JSONValue(parsing: plan.json)
            XCTAssertEqual(merged["metadata"], original["metadata"])
            XCTAssertEqual(merged["days"]?.arrayValue, Array(originalDays.prefix(done)) + rest)
            if !renumberFromOne { XCTAssertEqual(merged, original) }
        }
    }

    /// A continuation whose model writes trailing commas (accepted by the lenient default): the
    /// merged plan's JSON is strict JSON, its days without the commas, at every chunking.
    func testContinuationLeavesOutTheTrailingCommasItAccepted() throws {
        let bytes = try fixture("plan-7d.json")
        let original = try JSONValue(parsing: bytes)
        let originalDays = original["days"]!.arrayValue!
        let first = makeParser()
        _ = try first.feed(bytes.prefix(bytes.count / 2))
        guard case .partial(let partial)? = first.finish().last else { return XCTFail() }
        let done = partial.nextDayIndex
        // Each remaining day with a trailing comma before its closing brace, and one after it.
        let rest = originalDays[done...].map { day in String(day.serialized().dropLast()) + ",}" }
        let second = Array(("{\"days\": [" + rest.joined(separator: ", ") + ",]}").utf8)
        for chunkSize in [1, 5, second.count] {
            let continuation = AnyPlanParser(continuing: partial)
            var events: [PlanEvent<JSONValue, JSONValue>] = []
            for start in stride(from: 0, to: second.count, by: chunkSize) {
                events += try continuation.feed(second[start..<min(start + chunkSize, second.count)])
            }
            events += continuation.finish()
            guard case .completed(let plan)? = events.last else { return XCTFail(events.map(describe).joined()) }
            XCTAssertEqual(try JSONValue(parsing: plan.json, options: .strict), original, "chunks of \(chunkSize)")
            for case .dayCompleted(let index, let day, let raw) in events {
                XCTAssertEqual(try JSONValue(parsing: raw.text, options: .strict), day)
                XCTAssertEqual(day, originalDays[index])
            }
        }
    }

    /// A record kept after every completed part equals the parser's partial plan at that moment,
    /// across a continuation too (day numbers renumbered from one included), and it leaves the
    /// parser's days unshared: the next day is appended in place, not by copying all before it.
    func testPartialPlanRecordEqualsThePartialPlanAndLeavesTheDaysUnshared() throws {
        let bytes = try fixture("plan-7d.json")
        let originalDays = try JSONValue(parsing: bytes)["days"]!.arrayValue!
        for renumberFromOne in [false, true] {
            var record = PartialPlanRecord<JSONValue, JSONValue>()
            var recorded = 0
            func feed(_ parser: AnyPlanParser, _ chunk: some Collection<UInt8>) throws {
                parser.push(Array(chunk))
                while let event = try parser.nextEvent() {
                    switch event {
                    case .metadataReady, .dayCompleted:
                        record.record(parser.partialPlan)
                        recorded += 1
                        XCTAssertEqual(record.partialPlan, parser.partialPlan, "record \(recorded)")
                    default: continue
                    }
                }
            }
            /// Feeds `bytes` in 16-byte chunks and checks that `days` (the parser's, or the merged
            /// ones) grew in place whenever it had room: nothing held them when a day was appended.
            func feedInChunks(_ parser: AnyPlanParser, _ bytes: some Collection<UInt8>, _ days: () -> [JSONValue]?) throws {
                let bytes = Array(bytes)
                for offset in stride(from: 0, to: bytes.count, by: 16) {
                    let before = days().map { days in (days.withUnsafeBufferPointer { $0.baseAddress }, days.capacity > days.count) }
                    try feed(parser, bytes[offset..<min(offset + 16, bytes.count)])
                    if let (storage, hadRoom) = before, hadRoom, storage != nil, let after = days() {
                        XCTAssertEqual(after.withUnsafeBufferPointer { $0.baseAddress }, storage, "appended in place, at \(offset)")
                    }
                }
            }
            let first = makeParser()
            first.days.reserveCapacity(8)
            try feedInChunks(first, bytes.prefix(bytes.count / 2)) { first.days }
            guard case .partial(let partial)? = first.finish().last else { return XCTFail() }
            record.record(partial)
            XCTAssertEqual(record.partialPlan, partial)
            let done = partial.nextDayIndex
            let rest = originalDays[done...].enumerated().map { offset, day -> JSONValue in
                guard renumberFromOne, case .object(var members) = day else { return day }
                members["day"] = .number(JSONNumber("\(offset + 1)")!)
                return .object(members)
            }
            let second = Array(("{\"days\": [" + rest.map { $0.serialized() }.joined(separator: ",") + "]}").utf8)
            let continuation = AnyPlanParser(continuing: partial)
            try feedInChunks(continuation, second) { continuation.mergedParts?.days }
            guard case .completed(let plan)? = continuation.finish().last else { return XCTFail() }
            XCTAssertEqual(record.partialPlan?.days, plan.days)
            XCTAssertEqual(record.partialPlan?.dayNumbers, continuation.partialPlan.dayNumbers)
            XCTAssertEqual(recorded, 1 + 7)
        }
    }
}
