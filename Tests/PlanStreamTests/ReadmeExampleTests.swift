import XCTest
import PlanStream

/// The README's "Live snapshots" example, as it is printed there (between the markers), so that
/// it keeps building and doing what it says.
final class ReadmeExampleTests: XCTestCase {
    // README: live snapshots — begin
    struct DayDraft: Decodable {                 // your partial type: every property optional
        var day: Int?
        var title: String?
        var activities: [ActivityDraft]?
    }
    struct ActivityDraft: Decodable { var name: String? }

    func preview(_ chunks: [String]) throws -> [String] {
        var lines: [String] = []
        let parser = PlanStreamParser(snapshots: .everyChange)   // or .atMost(every: .milliseconds(100))
        for chunk in chunks {
            for event in try parser.feed(chunk) {
                switch event {
                case .daySnapshot(let index, let partial):       // the day being written, as it grows
                    let draft = try partial.decode(DayDraft.self)
                    let writing = partial.completion(at: [.key("title")]) == .inProgress ? "…" : ""
                    lines.append("day \(index + 1): \(draft.title ?? "")\(writing), \(draft.activities?.count ?? 0) activities")
                case .dayCompleted(let index, let day, _):       // the same index, now complete
                    lines.append("day \(index + 1) done: \(day.title ?? "")")
                default: break
                }
            }
        }
        return lines
    }
    // README: live snapshots — end

    /// `swift run planstream replay` streams a plan compiled into the tool: the 7-day fixture,
    /// copied beside the tool's sources by Fixtures/generate.py. The copy must not drift.
    func testTheDemoPlanIsTheSevenDayFixture() throws {
        let resource = fixturesURL.deletingLastPathComponent()
            .appendingPathComponent("Sources/planstream/Resources/default-plan.json")
        XCTAssertEqual(Array(try Data(contentsOf: resource)), try fixture("plan-7d.json"))
    }

    func testTheLiveSnapshotsExample() throws {
        let lines = try preview([#"{"days": [{"day": 1, "title": "Morning"#, #" walk", "activities": [{"name": "Wa"#,
                                 #"lk"}]}]}"#])
        XCTAssertEqual(lines, ["day 1: Morning…, 0 activities", "day 1: Morning walk, 1 activities", "day 1 done: Morning walk"])
    }
}
