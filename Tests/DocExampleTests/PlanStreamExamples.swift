import Foundation
import IncrementalJSON
import PlanStream
import TestSupport
import XCTest

/// PlanStream's doc-comment examples and the README's, verbatim between the markers, run on the
/// 7-day fixture with what they say checked after them.
final class PlanStreamExamples: XCTestCase {
    /// A progress bar, as the examples drive one.
    struct Bar { var fraction: Double?; var value = 0.0 }

    /// The 7-day plan in 97-byte chunks.
    var chunks: [ArraySlice<UInt8>] {
        get throws {
            let bytes = try fixture("plan-7d.json")
            return TestSupport.chunks(of: bytes, at: cuts(every: 97, upTo: bytes.count))
        }
    }

    func testTheReadmeQuickStart() async throws {
        let modelStream = AsyncStream<String> { continuation in
            // The first 12,000 bytes, as 3-character deltas (a model stopped at its token limit).
            let text = Array(String(decoding: try! fixture("plan-7d.json").prefix(12_000), as: UTF8.self))
            for start in stride(from: 0, to: text.count, by: 3) { continuation.yield(String(text[start..<min(start + 3, text.count)])) }
            continuation.finish()
        }
        var headers: [String] = [], rendered: [Int] = [], cached: [Range<Int>] = [], kept: [Int] = [], saved: [String] = []
        var bar = Bar()
        var asked: [String] = []
        func showHeader(_ title: String) { headers.append(title) }
        func render(_ day: PlanDay, at index: Int) { rendered.append(index) }
        func cache(_ json: String, at range: Range<Int>) { cached.append(range) }
        func keep(_ json: String, _ error: PlanDecodingFailure, _ index: Int) { kept.append(index) }
        func save(_ json: String?, warnings: [PlanWarning] = []) { saved.append(json ?? "nil") }
        func ask(_ prompt: String) { asked.append(prompt) }
        // README: quick start — begin
        let parser = PlanStreamParser()          // default schema ($.metadata, $.days[*]) and models
        for try await chunk in modelStream {     // any chunking: a byte, a token, a kilobyte
            for event in try parser.feed(chunk) {
                switch event {
                case .metadataReady(let metadata, _): showHeader(metadata.title)
                case .dayCompleted(let index, let day, let raw):  // with the day's closing brace
                    render(day, at: index)
                    cache(raw.text, at: raw.range)              // the day's JSON as it arrived, and where
                case .dayFailed(let index, let error, let raw): keep(raw.text, error, index)
                case .progress(let progress): bar.value = progress.fraction ?? 0
                default: break
                }
            }
        }
        switch parser.finish().last {
        case .completed(let plan)?: save(plan.json, warnings: plan.warnings)
        case .partial(let partial)?:                       // the model stopped early
            save(partial.json)                             // valid JSON: every completed day, no half day
            ask("Continue from day \(partial.nextDayIndex + 1)")
            let rest = PlanStreamParser(continuing: partial)   // its days merge into one plan
        default: break
        }
        // README: quick start — end
        XCTAssertEqual(headers, ["7-Day Wellness Reset 🌱"])
        XCTAssertEqual(rendered, Array(0..<rendered.count))
        XCTAssertGreaterThan(rendered.count, 2)
        XCTAssertEqual(cached.count, rendered.count)
        XCTAssertEqual(kept, [])
        XCTAssertEqual(bar.value, Double(rendered.count) / 7, accuracy: 1e-9)
        XCTAssertEqual(asked, ["Continue from day \(rendered.count + 1)"])
        XCTAssertEqual(saved.count, 1)
        XCTAssertEqual(try JSONValue(parsing: saved[0])["days"]?.arrayValue?.count, rendered.count)
    }

    func testTheReadmeNestedSchema() throws {
        struct MyMeta: Decodable { var planName: String }
        struct MyDay: Decodable { var n: Int; var startsAt: Date }
        // README: a nested plan — begin
        var schema = PlanSchema()
        schema.metadataPath = "$.plan.meta"                 // default $.metadata
        schema.dayPath = "$.plan.schedule[*]"               // default $.days[*]
        schema.expectedDays = .path("$.plan.meta.length")   // default $.metadata.duration.value; or .fixed(30)
        schema.dayNumberKey = "n"                           // default "day": the day-number checks
        var decoder = JSONTokenDecoder()                    // JSONDecoder's results and strategies, faster
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        let parser = PlanStreamParser(schema: schema, metadata: MyMeta.self, day: MyDay.self, decoder: decoder)
        // README: a nested plan — end
        let events = try parser.feed(#"""
            {"plan": {"meta": {"plan_name": "Calm", "length": 2},
                      "schedule": [{"n": 1, "starts_at": "2026-12-01T07:00:00Z"}, {"n": 2, "starts_at": "2026-12-02T07:00:00Z"}]}}
            """#) + parser.finish()
        guard case .completed(let plan)? = events.last else { return XCTFail("\(events)") }
        XCTAssertEqual(plan.metadata?.planName, "Calm")
        XCTAssertEqual(plan.days.map(\.n), [1, 2])
        XCTAssertEqual(plan.warnings, [])
    }

    func testParserAndEvents() throws {
        var shown: [Int] = [], handled: [String] = [], headers: [String] = [], rendered: [Int] = [], saved: [String] = []
        var bar = Bar()
        func show(_ day: PlanDay, _ index: Int) { shown.append(index) }
        func handle<M, D>(_ event: PlanEvent<M, D>) { handled.append("\(event)".prefix(9).description) }
        func showHeader(_ metadata: PlanMetadata) { headers.append(metadata.title) }
        func render(_ day: PlanDay, at index: Int) { rendered.append(index) }
        func save<T>(_ value: T) { saved.append("\(T.self)") }
        let chunks = try self.chunks
        do {
            // PlanStreamParser — begin
            let parser = PlanStreamParser()                       // PlanMetadata and PlanDay, default schema
            for chunk in chunks {
                for event in try parser.feed(chunk) {
                    if case .dayCompleted(let index, let day, _) = event { show(day, index) }
                }
            }
            for event in parser.finish() { handle(event) }       // .completed(plan) or .partial(partial)
            // PlanStreamParser — end
        }
        XCTAssertEqual(shown, Array(0..<7))
        XCTAssertEqual(handled, ["completed"])
        let parser = PlanStreamParser()
        for chunk in chunks {
            // PlanEvent — begin
            for event in try parser.feed(chunk) {
                switch event {
                case .metadataReady(let metadata, _): showHeader(metadata)
                case .dayCompleted(let index, let day, _): render(day, at: index)
                case .progress(let progress): bar.fraction = progress.fraction
                case .completed(let plan): save(plan)
                case .partial(let partial): save(partial.json)      // the stream ended early
                default: break
                }
            }
            // PlanEvent — end
        }
        XCTAssertEqual(headers.count, 1)
        XCTAssertEqual(rendered, Array(0..<7))
        XCTAssertEqual(bar.fraction, 1)
    }

    func testSnapshotsAndPolicies() throws {
        struct DayDraft: Decodable { var title: String? }
        var titles: [Int: [String?]] = [:]
        func preview(_ title: String?, at index: Int) { titles[index, default: []].append(title) }
        let parser = PlanStreamParser(snapshots: .everyChange)
        for chunk in try chunks {
            // PlanStreamParser snapshots — begin
            let parser = PlanStreamParser(snapshots: .everyChange)
            for event in try parser.feed(chunk) {
                if case .daySnapshot(let index, let partial) = event {
                    let draft = try? partial.decode(DayDraft.self)   // a Decodable whose properties are optional
                    preview(draft?.title, at: index)                   // the title appears as it is written
                }
            }
            // PlanStreamParser snapshots — end
            _ = parser
        }
        // The example makes a parser per chunk, as a doc fragment does; the same loop over one parser:
        for chunk in try chunks {
            for event in try parser.feed(chunk) {
                if case .daySnapshot(let index, let partial) = event { preview(try? partial.decode(DayDraft.self).title, at: index) }
            }
        }
        XCTAssertTrue(titles[0]?.contains { $0?.hasPrefix("Day 1") == true } == true, "\(titles)")
    }

    func testPartialPlanRecord() throws {
        let parser = PlanStreamParser()
        let chunks = try chunks
        // PartialPlanRecord — begin
        var record = PartialPlanRecord<PlanMetadata, PlanDay>()
        for chunk in chunks {
            parser.push(chunk)
            while let event = try parser.nextEvent() {
                if case .dayCompleted = event { record.record(parser.partialPlan) }
            }
        }
        let kept = record.partialPlan      // equal to parser.partialPlan when it was recorded
        // PartialPlanRecord — end
        XCTAssertEqual(kept?.days.count, 7)
        XCTAssertEqual(kept?.days, parser.partialPlan.days)
        // Kept at the last day, before the closing brackets arrived: the same plan as JSON.
        XCTAssertEqual(try JSONValue(parsing: XCTUnwrap(kept?.json)), try JSONValue(parsing: XCTUnwrap(parser.partialPlan.json)))
    }

    func testSnapshotPolicies() {
        // SnapshotPolicy — begin
        let parser = PlanStreamParser(snapshots: .everyChange)              // a terminal, a test
        let ui = PlanStreamParser(snapshots: .atMost(every: .milliseconds(100)))   // a UI redraws at most 10×/s
        let relay = PlanStreamParser(snapshots: .atMost(everyBytes: 512))   // a server relays to browsers
        // SnapshotPolicy — end
        XCTAssertEqual([parser.snapshots, ui.snapshots, relay.snapshots],
                       [.everyChange, .atMost(every: .milliseconds(100)), .atMost(everyBytes: 512)])
    }

    func testRawJSONAndPartialPlan() throws {
        var cache: [Int: String] = [:]
        var logged: [Range<Int>] = []
        func log(_ title: String?, _ range: Range<Int>) { logged.append(range) }
        var saved: [String?] = []
        func save(_ json: String?) { saved.append(json) }
        var prompt = "Write a 7-day plan. "
        let bytes = try fixture("plan-7d.json")
        let parser = PlanStreamParser()
        for event in try parser.feed(bytes.prefix(9000)) + parser.finish() {
            // RawJSON — begin
            if case .dayCompleted(let index, let day, let raw) = event {
                cache[index] = raw.text       // keys that `PlanDay` does not know survive
                log(day.title, raw.range)     // the day's byte offsets in the stream
            }
            // RawJSON — end
            // PartialPlan — begin
            if case .partial(let partial) = event {
                save(partial.json)                                  // valid JSON: every completed day
                prompt += "Continue from day \(partial.nextDayIndex + 1)."
                let next = PlanStreamParser(continuing: partial)    // the rest arrives as a second stream
            }
            // PartialPlan — end
        }
        XCTAssertEqual(cache.keys.sorted(), Array(0..<logged.count))
        XCTAssertTrue(logged.indices.allSatisfy { Array(bytes[logged[$0]]) == Array(cache[$0]!.utf8) }, "raw text is the bytes in its range")
        XCTAssertEqual(saved.count, 1)
        XCTAssertTrue(prompt.hasSuffix("Continue from day \(logged.count + 1)."), prompt)
    }

    func testSchema() {
        // PlanSchema — begin
        var schema = PlanSchema()
        schema.metadataPath = "$.plan.meta"
        schema.dayPath = "$.plan.schedule[*]"
        schema.expectedDays = .fixed(30)        // e.g. the request's duration
        // PlanSchema — end
        XCTAssertEqual(schema.expectedDays, .fixed(30))
    }
}
