import XCTest
import FuzzSupport
import PlanFuzzInvariants
import IncrementalJSON
@testable import PlanStream

/// Live snapshots of the day (and metadata) being written: the contract of `JSONPartialValue`,
/// at every byte and every split of the 7-day plan, and what happens on bad and cut input.
final class SnapshotTests: XCTestCase {
    typealias AnyPlanParser = PlanStreamParser<JSONValue, JSONValue>

    func makeParser(_ snapshots: SnapshotPolicy = .everyChange, options: JSONParserOptions = .strict) -> AnyPlanParser {
        var schema = PlanSchema()
        schema.parserOptions = options
        return AnyPlanParser(schema: schema, metadata: JSONValue.self, day: JSONValue.self, snapshots: snapshots)
    }

    /// Byte by byte: every snapshot keeps the contract against the previous one and against the
    /// completed value; each day is seen growing, and its last snapshot comes before its completion.
    func testEverySnapshotKeepsTheContractByteByByte() throws {
        let bytes = try fixture("plan-7d.json")
        let trace = FuzzInvariants.snapshotTrace(bytes, cuts: Array(1..<bytes.count))
        XCTAssertNil(FuzzInvariants.snapshotContractViolation(trace))
        XCTAssertEqual(trace.completed.count, 8, "the metadata and seven days")
        for index in 0..<7 {
            let snapshots = trace.snapshots.filter { $0.value == .day(index) }
            XCTAssertGreaterThan(snapshots.count, 100, "day \(index) is seen while it is written")
            // The title appears while it is written, before the day completes.
            let titles = snapshots.compactMap { $0.partial.value["title"]?.stringValue }
            let finalTitle = try XCTUnwrap(trace.completed[.day(index)]?["title"]?.stringValue)
            XCTAssertTrue(titles.contains { !$0.isEmpty && $0 != finalTitle && finalTitle.unicodeScalars.starts(with: $0.unicodeScalars) },
                          "day \(index)")
            XCTAssertEqual(snapshots.last.map { $0.partial.value["title"] }, trace.completed[.day(index)]?["title"])
        }
        XCTAssertFalse(trace.snapshots.filter { $0.value == .metadata }.isEmpty)
        // A byte that changes nothing visible (whitespace, a digit, a key's last quote: a key
        // appears with its value) asks for no snapshot, so none repeats the one before it.
        for (earlier, later) in zip(trace.snapshots, trace.snapshots.dropFirst()) where earlier.value == later.value {
            XCTAssertNotEqual(earlier.partial, later.partial, "a snapshot of \(later.value) repeats the previous one")
        }
    }

    /// At every split of the 7-day plan, the snapshot after the first chunk is the live state of
    /// that prefix: the state the byte-by-byte run was in there, and the day in progress that the
    /// partial plan reports (which a parser without live trees reads again from the bytes).
    func testTheSnapshotAtEverySplitIsTheStateOfItsPrefix() throws {
        let bytes = try fixture("plan-7d.min.json")
        // Byte by byte: the open day's state after every byte.
        let drip = makeParser()
        let reread = PlanStreamParser(schema: { var s = PlanSchema(); s.parserOptions = .strict; return s }(),
                                      metadata: PlanMetadata.self, day: PlanDay.self)
        var stateAfter: [JSONPartialValue?] = [nil]
        var current: JSONPartialValue?
        for end in 1...bytes.count {
            for event in try drip.feed(bytes[(end - 1)..<end]) {
                switch event {
                case .daySnapshot(_, let partial): current = partial
                case .dayCompleted, .metadataReady: current = nil
                case .metadataSnapshot(let partial): current = partial
                default: break
                }
            }
            _ = try reread.feed(bytes[(end - 1)..<end])
            stateAfter.append(current)
            let readAgain = reread.partialPlan
            let open = readAgain.dayInProgress ?? readAgain.partialMetadata
            XCTAssertEqual(open, current, "byte \(end): live tree and re-read bytes differ")
        }
        for cut in 1..<bytes.count {
            let parser = makeParser()
            let events = try parser.feed(bytes[..<cut])
            let snapshot = events.last.flatMap { event -> JSONPartialValue? in
                switch event {
                case .daySnapshot(_, let partial), .metadataSnapshot(let partial): return partial
                default: return nil
                }
            }
            XCTAssertEqual(snapshot, stateAfter[cut], "split at \(cut)")
        }
    }

    /// A caller that lets go of each snapshot (a UI that renders and forgets) gets the same values
    /// as one that keeps them all: the builder mutates its containers in place only when nothing
    /// else holds them. Each snapshot is checked the moment it arrives, against the bytes read
    /// again, and then dropped.
    func testDroppedSnapshotsAreTheSameAsKeptOnes() throws {
        let bytes = try fixture("plan-7d.json")
        var random = SeededGenerator(testSeedFor: "dropped snapshots")
        var cuts: [Int] = []
        var end = 0
        while end < bytes.count {
            end = min(end + Int.random(in: 1...6, using: &random), bytes.count)
            cuts.append(end)
        }
        let live = makeParser()
        let reread = PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self)
        var kept: [JSONPartialValue] = []
        var checked = 0
        var start = 0
        for end in cuts {
            _ = try reread.feed(bytes[start..<end])
            for event in try live.feed(bytes[start..<end]) {
                guard case .daySnapshot(_, let partial) = event else { continue }
                XCTAssertEqual(partial, reread.partialPlan.dayInProgress, "bytes ..<\(end)")
                checked += 1
            }
            start = end
        }
        XCTAssertGreaterThan(checked, 1000)
        // The same run, every snapshot kept: the kept ones never change afterwards.
        let keeping = makeParser()
        var keptText: [String] = []
        start = 0
        for end in cuts {
            for event in try keeping.feed(bytes[start..<end]) {
                guard case .daySnapshot(_, let partial) = event else { continue }
                kept.append(partial)
                keptText.append(partial.value.serialized())
            }
            start = end
        }
        XCTAssertEqual(kept.count, checked)
        XCTAssertEqual(kept.map { $0.value.serialized() }, keptText, "a kept snapshot changed")
    }

    /// A repeated key and keys with escapes, through the live tree: the later member replaces the
    /// earlier one, as in `JSONValue`, in every snapshot and in the completed day.
    func testRepeatedAndEscapedKeysInSnapshots() throws {
        let text = #"{"days": [{"title": "first", "n\u0061me": "x", "title": "sec"#
        let parser = makeParser()
        var last: JSONPartialValue?
        for byte in text.utf8 {
            for case .daySnapshot(_, let partial) in try parser.feed([byte]) { last = partial }
        }
        XCTAssertEqual(last?.value, .object(["title": .string("sec"), "name": .string("x")]))
        XCTAssertEqual(last?.value.objectValue?.keys, ["title", "name"], "the repeated key keeps its first place")
        XCTAssertEqual(last?.openPath, [.key("title")])
        XCTAssertEqual(last?.completion(at: [.key("title")]), .inProgress)
        XCTAssertEqual(last?.completion(at: [.key("name")]), .complete)
        var completed: JSONValue?
        for case .dayCompleted(_, let day, _) in try parser.feed(#"ond", "name": 2}]}"#) { completed = day }
        XCTAssertEqual(completed, .object(["title": .string("second"), "name": .number(JSONNumber("2")!)]))
    }

    /// A repeated key whose member is a container, with a later member after the first one: the
    /// open path goes through the repeated key's place, not through the last member.
    func testTheOpenPathThroughARepeatedKeyInsideTheDay() throws {
        let text = #"{"days": [{"a": {"x": 1}, "b": [true], "a": {"y": "str"#
        let parser = makeParser()
        var last: JSONPartialValue?
        for byte in text.utf8 {
            for case .daySnapshot(_, let partial) in try parser.feed([byte]) { last = partial }
        }
        let partial = try XCTUnwrap(last)
        XCTAssertEqual(partial.value, .object(["a": .object(["y": .string("str")]), "b": .array([.bool(true)])]))
        XCTAssertEqual(partial.openPath, [.key("a"), .key("y")])
        XCTAssertEqual(partial.completion(at: [.key("a")]), .inProgress)
        XCTAssertEqual(partial.completion(at: [.key("a"), .key("y")]), .inProgress)
        XCTAssertEqual(partial.completion(at: [.key("b")]), .complete)
        XCTAssertEqual(partial.completion(at: [.key("b"), .index(0)]), .complete)
        XCTAssertEqual(partial.completion(at: [.key("c")]), .pending)
    }

    /// Snapshots carry completion state per member and decode into a caller's partial type.
    func testCompletionStateAndAPartialType() throws {
        struct ActivityDraft: Decodable, Equatable { var name: String?; var time: String? }
        struct DayDraft: Decodable, Equatable { var day: Int?; var title: String?; var activities: [ActivityDraft]? }
        let parser = makeParser()
        let text = #"{"days": [{"day": 3, "title": "Morning walk", "activities": [{"name": "Walk", "time": "7:0"#
        guard case .daySnapshot(let index, let partial)? = try parser.feed(text).last else { return XCTFail() }
        XCTAssertEqual(index, 0)
        XCTAssertEqual(partial.openPath, [.key("activities"), .index(0), .key("time")])
        XCTAssertEqual(partial.completion(at: [.key("title")]), .complete)
        XCTAssertEqual(partial.completion(at: [.key("activities")]), .inProgress)
        XCTAssertEqual(partial.completion(at: [.key("activities"), .index(0), .key("name")]), .complete)
        XCTAssertEqual(partial.completion(at: [.key("activities"), .index(0), .key("time")]), .inProgress)
        XCTAssertEqual(partial.completion(at: [.key("tips")]), .pending)
        XCTAssertEqual(try partial.decode(DayDraft.self),
                       DayDraft(day: 3, title: "Morning walk", activities: [ActivityDraft(name: "Walk", time: "7:0")]))

        // A number appears only when complete: `12` may become `125`.
        guard case .daySnapshot(_, let numbered)? = try parser.feed(#"0", "calories": 12"#).last else { return XCTFail() }
        XCTAssertNil(numbered.value["activities"]?[0]?["calories"])
        XCTAssertEqual(numbered.openPath, [.key("activities"), .index(0)])
        XCTAssertEqual(numbered.value["activities"]?[0]?["time"], .string("7:00"))
    }

    /// Policies: off reports none; by bytes, fewer, each a state the every-change run went through.
    func testPolicies() throws {
        let bytes = try fixture("plan-7d.min.json")
        func snapshots(_ policy: SnapshotPolicy) throws -> [JSONPartialValue] {
            let parser = makeParser(policy)
            var found: [JSONPartialValue] = []
            for start in stride(from: 0, to: bytes.count, by: 7) {
                for event in try parser.feed(bytes[start..<min(start + 7, bytes.count)]) {
                    switch event {
                    case .daySnapshot(_, let partial), .metadataSnapshot(let partial): found.append(partial)
                    default: break
                    }
                }
            }
            return found
        }
        XCTAssertEqual(try snapshots(.off).count, 0)
        let every = try snapshots(.everyChange)
        let throttled = try snapshots(.atMost(everyBytes: 200))
        XCTAssertGreaterThan(throttled.count, 7)
        XCTAssertLessThan(throttled.count, every.count / 10)
        XCTAssertTrue(Set(throttled).isSubset(of: Set(every)))
        XCTAssertEqual(try snapshots(.atMost(every: .seconds(3600))).count, 1, "the first change is reported, then none for an hour")
    }

    /// Invalid JSON inside a day: snapshots stop at the last valid state, the error is thrown,
    /// completed days are kept.
    func testInvalidJSONStopsTheSnapshots() throws {
        let parser = makeParser()
        let first = try parser.feed(#"{"days": [{"day": 1}, {"day": 2, "title": "Mo"#)
        guard case .daySnapshot(1, let last)? = first.last else { return XCTFail("\(first.map(describe))") }
        XCTAssertThrowsError(try parser.feed(#"rning", oops}]}"#))
        guard case .partial(let partial)? = parser.finish().last else { return XCTFail() }
        XCTAssertEqual(partial.days, [.object(["day": .number(JSONNumber("1")!)])])
        XCTAssertNil(partial.dayInProgress, "an invalid day is not reported as in progress")
        XCTAssertEqual(last.value["title"], .string("Mo"))
    }

    /// A cut stream: the partial plan's day in progress is the last snapshot of the open day.
    func testACutStreamReportsTheLastSnapshotAsTheDayInProgress() throws {
        let bytes = try fixture("plan-7d.json")
        for cut in stride(from: 1500, to: bytes.count, by: 997) {
            let parser = makeParser()
            var last: JSONPartialValue?
            for start in stride(from: 0, to: cut, by: 5) {
                for event in try parser.feed(bytes[start..<min(start + 5, cut)]) {
                    switch event {
                    case .daySnapshot(_, let partial): last = partial
                    case .dayCompleted: last = nil
                    default: break
                    }
                }
            }
            guard case .partial(let partial)? = parser.finish().last else { return XCTFail("cut \(cut)") }
            XCTAssertEqual(partial.dayInProgress, last, "cut \(cut)")
        }
    }
}
