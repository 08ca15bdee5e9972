import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
import IncrementalJSON
import PlanStream
import PlanStreamClient

// README: continue from day N — begin
/// Asks for the plan and, whenever the model stops early (its token limit, a lost connection),
/// asks again for the days after the last one completed; the days merge into one plan.
func generatePlan(client: PlanStreamClient, request: (_ firstDay: Int) -> URLRequest) async throws -> Plan<PlanMetadata, PlanDay> {
    var kept: PartialPlan<PlanMetadata, PlanDay>?
    while true {
        let stream = client.events(for: request((kept?.nextDayIndex ?? 0) + 1), format: .auto, continuing: kept)
        do {
            for try await event in stream {
                if case .completed(let plan) = event { return plan }
            }
        } catch let interruption as PlanStreamInterruption {
            // A request that completed no new day gives up: the next one would not do better.
            guard let partial = stream.partialPlan, partial.nextDayIndex > (kept?.nextDayIndex ?? 0) else {
                throw interruption
            }
            kept = partial                               // every day completed so far
        }
    }
}
// README: continue from day N — end

/// The README's continuation loop, run against the replay server: the first response stops at
/// its token limit after three days, the second carries days 4 to 7.
final class ContinuationExampleTests: ReplayServerTestCase {
    func testTheContinuationLoopGetsTheWholePlan() async throws {
        let server = self.server
        var requests: [Int] = []
        let plan = try await generatePlan(client: PlanStreamClient(idleTimeout: .seconds(10))) { firstDay in
            requests.append(firstDay)
            return firstDay == 1 ? server.request("streams/openai-length.sse", "chunk=100")
                                 : server.request("plan-7d.json", "envelope=openai&from_day=\(firstDay)")
        }
        XCTAssertEqual(requests, [1, 4])
        XCTAssertEqual(plan.days.map(\.day), Array(1...7))
        let original = try JSONValue(parsing: try Data(contentsOf: fixturesURL.appendingPathComponent("plan-7d.json")))
        XCTAssertEqual(try JSONValue(parsing: plan.json)["days"], original["days"], "one document, every day as it arrived")
        XCTAssertNotNil(plan.metadata)
    }

    /// Each README example is a region of a test file that builds and runs; the README shows it verbatim.
    func testTheREADMEShowsTheTestedExamples() throws {
        let root = fixturesURL.deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for (file, name) in [("Tests/PlanStreamClientTests/ContinuationExampleTests.swift", "continue from day N"),
                             ("Tests/PlanStreamTests/ReadmeExampleTests.swift", "live snapshots")] {
            let source = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let lines = source.components(separatedBy: "\n")
            guard let begin = lines.firstIndex(where: { $0.hasSuffix("// README: \(name) — begin") }),
                  let end = lines.firstIndex(where: { $0.hasSuffix("// README: \(name) — end") }) else {
                return XCTFail("no README region '\(name)' in \(file)")
            }
            let region = lines[(begin + 1)..<end]
            let indent = region.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
            let example = region.map { String($0.dropFirst(min(indent, $0.count))) }.joined(separator: "\n")
            XCTAssertTrue(readme.contains(example), "README does not show the '\(name)' example of \(file) verbatim")
        }
    }
}
