import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
import IncrementalJSON
import PlanStream
@testable import PlanStreamClient

/// Every provider's stream through the client and the URLSession transport, against the replay
/// server on loopback: the 7-day plan in 3–6-byte deltas, as text or as a tool call's arguments,
/// as a whole JSON response, resumed after a lost connection; and interruptions that say what
/// happened.
final class ProviderStreamTests: ReplayServerTestCase {
    typealias Events = [PlanEvent<JSONValue, JSONValue>]

    let originalDays = try! JSONValue(parsing: try! Data(contentsOf: fixturesURL.appendingPathComponent("plan-7d.json")))["days"]!.arrayValue!

    func stream(_ fixture: String, _ options: String, format: StreamFormat, document: DocumentSource = .text,
                client: PlanStreamClient = PlanStreamClient(idleTimeout: .seconds(10))) async -> (events: Events, error: (any Error)?) {
        let stream = client.events(for: server.request(fixture, options), format: format, document: document,
                                   metadata: JSONValue.self, day: JSONValue.self)
        var events: Events = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    func days(_ events: Events) -> [JSONValue] {
        events.compactMap { if case .dayCompleted(_, let day, _) = $0 { return day } else { return nil } }
    }

    func assertCompletePlan(_ result: (events: Events, error: (any Error)?), _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(result.error, what, file: file, line: line)
        XCTAssertEqual(days(result.events), originalDays, what, file: file, line: line)
        guard case .completed(let plan)? = result.events.last else { return XCTFail(what, file: file, line: line) }
        XCTAssertNotNil(plan.metadata, what, file: file, line: line)
    }

    func reason(_ error: (any Error)?) -> PlanStreamInterruption.Reason? { (error as? PlanStreamInterruption)?.reason }

    func testEveryProviderStreamCarriesThePlan() async {
        let formats: [(String, StreamFormat)] = [("openai", .openai), ("ndjson", .ndjson), ("anthropic", .anthropic),
                                                 ("openai-responses", .openaiResponses), ("gemini", .gemini),
                                                 ("gemini-json", .geminiJSON)]
        for (envelope, format) in formats {
            for readAs in [format, .auto] {
                let result = await stream("plan-7d.json", "envelope=\(envelope)", format: readAs)
                assertCompletePlan(result, "\(envelope) read as \(readAs)")
            }
        }
    }

    func testThePlanAsAToolCallsArguments() async {
        for envelope in ["openai-tool", "anthropic-tool", "openai-responses-tool"] {
            for document in [DocumentSource.toolArguments(named: "save_plan")] {
                let result = await stream("plan-7d.json", "envelope=\(envelope)", format: .auto, document: document)
                assertCompletePlan(result, envelope)
            }
            // The first call is another tool's: its arguments are a document without days.
            let first = await stream("plan-7d.json", "envelope=\(envelope)", format: .auto, document: .toolArguments())
            XCTAssertEqual(days(first.events), [], envelope)
        }
    }

    func testWholeJSONResponses() async {
        for (provider, format) in [("gemini", StreamFormat.gemini), ("openai", .openai), ("anthropic", .anthropic),
                                   ("openai-responses", .openaiResponses), ("ollama", .ndjson)] {
            for readAs in [format, .auto] {
                let result = await stream("plan-7d.json", "whole=\(provider)&chunk=100", format: readAs)
                assertCompletePlan(result, "whole \(provider) read as \(readAs)")
            }
        }
    }

    /// The relay drops the connection after two days; the client reconnects with `Last-Event-ID`
    /// and the relay sends the rest: every day once.
    func testARelayStreamResumesFromTheLastEventID() async {
        let resumed = await stream("plan-7d.json", "envelope=relay&drop_after=5", format: .progress)
        assertCompletePlan(resumed, "resumed")
        let once = await stream("plan-7d.json", "envelope=relay&drop_after=5", format: .progress,
                                client: PlanStreamClient(idleTimeout: .seconds(10), maximumReconnects: 0))
        guard reason(once.error)?.kind == .connectionLost else { return XCTFail("\(String(describing: once.error))") }
        XCTAssertEqual(days(once.events), Array(originalDays.prefix(2)))
    }

    func testHTTPErrorsSayWhatHappenedAndNothingElse() async {
        let result = await stream("streams/openai-500.json", "status=404", format: .openai)
        guard reason(result.error)?.statusCode == 404 else { return XCTFail("\(String(describing: result.error))") }
        guard case .partial(let partial)? = result.events.last else { return XCTFail() }
        XCTAssertNil(partial.error, "no document arrived, so there is no JSON error to report")
        XCTAssertEqual(partial.nextDayIndex, 0)
    }

    func testAStreamWithoutDocumentTextSaysSo() async {
        let refusal = await stream("providers/openai-refusal.sse", "", format: .auto)
        XCTAssertEqual(reason(refusal.error), .refused("I'm sorry, I can't do that."))
        XCTAssertEqual((refusal.error as? PlanStreamInterruption)?.description,
                       "the model refused: I'm sorry, I can't do that.; 0 days completed")
        let toolOnly = await stream("providers/openai-responses-tool.sse", "", format: .auto)
        XCTAssertEqual(reason(toolOnly.error), .noDocumentText(FinishReason(rawValue: "completed")))
        let truncated = await stream("providers/anthropic-max-tokens.sse", "", format: .auto,
                                     document: .toolArguments(named: "save_plan"))
        XCTAssertEqual(reason(truncated.error), .truncated(FinishReason(rawValue: "max_tokens")))
    }
}
