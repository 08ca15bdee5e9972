import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import CommandLineSupport
import IncrementalJSON
import PlanStream
@testable import PlanStreamClient
import TestSupport
import XCTest

/// PlanStreamClient's doc-comment examples and the README's, verbatim between the markers. The
/// ones that read bytes run here with their results checked; the ones that call a provider over
/// the network are compiled only (`compiledOnly…`, never called): the client's own tests run the
/// same calls against the local replay server.
final class ClientExamples: XCTestCase {
    func testServerSentEventDecoder() throws {
        var output: [String] = []
        func print(_ item: String) { output.append(item) }
        let chunk = Array("event: delta\ndata: {\"text\": \"a\"}\n\ndata: [DONE]\n\n".utf8)
        // ServerSentEventDecoder — begin
        var decoder = ServerSentEventDecoder()
        for output in try decoder.feed(chunk) {
            if case .event(let event) = output { print(event.data) }
        }
        // ServerSentEventDecoder — end
        XCTAssertEqual(output, [#"{"text": "a"}"#, "[DONE]"])
    }

    func testStreamBodyReader() throws {
        let chunk = try fixture("providers/anthropic-tool.sse")
        let parser = JSONParser()
        // StreamBodyReader — begin
        var reader = StreamBodyReader(format: .anthropic, document: .toolArguments(named: "save_plan"))
        for signal in reader.feed(chunk) {
            if case .text(let bytes) = signal { parser.push(bytes) }
        }
        // StreamBodyReader — end
        parser.endInput()
        var tokens = 0
        while try parser.nextToken() != nil { tokens += 1 }
        XCTAssertGreaterThan(tokens, 10, "the tool's arguments are a JSON document")
    }

    func testPayloadScanner() throws {
        let payload = Array(#"{"type": "content_block_delta", "delta": {"type": "text_delta", "text": "Day 1"}}"#.utf8)
        let contentPath: [PayloadScanner.Step] = ["delta", "text"]
        var text = ""
        // PayloadScanner — begin
        var scanner = PayloadScanner()
        try scanner.scan(payload) { visit in
            if visit.is(contentPath), let delta = visit.text { text += delta }   // contentPath: [Step], a constant
        }
        // PayloadScanner — end
        XCTAssertEqual(text, "Day 1")
    }

    func testHTTPResponseParser() throws {
        let response = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nDay 1\r\n0\r\n\r\n".utf8)
        try response.withUnsafeBytes { received in
            // HTTPResponseParser — begin
            var parser = HTTPResponseParser()
            var body: [UInt8] = []
            try parser.parse(received, body: &body)      // each read; `body` gains the body's bytes
            let status = parser.head?.status              // once the head arrived
            try parser.endOfInput()                       // at the end of the connection
            // HTTPResponseParser — end
            XCTAssertEqual(status, 200)
            XCTAssertEqual(String(decoding: body, as: UTF8.self), "Day 1")
        }
    }

    func testRelayEncoder() throws {
        var sent = ""
        func send(_ lines: String) { sent += lines }
        let chunk = try fixture("plan-7d.json")
        let parser = PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self)
        // RelayEncoder — begin
        var relay = RelayEncoder()
        send(relay.status("Starting generation..."))
        for event in try parser.feed(chunk) {
            if let lines = relay.encode(event) { send(lines) }
        }
        // RelayEncoder — end
        XCTAssertEqual(sent.components(separatedBy: #""type":"day_complete""#).count - 1, 7)
        XCTAssertTrue(sent.hasPrefix("id: 1\ndata: {\"type\":\"status\""))
    }

    func testInterruptionKinds() {
        var said: [String] = []
        func askToContinue(after days: Int) { said.append("continue after \(days)") }
        func retry() { said.append("retry") }
        func show(_ text: String) { said.append(text) }
        for reason in [PlanStreamInterruption.Reason.truncated(FinishReason(rawValue: "length")), .idleTimeout(.seconds(30)), .cancelled] {
            let interruption = PlanStreamInterruption(reason: reason, daysCompleted: 3, receivedDocumentText: true)
            // PlanStreamInterruption.Reason — begin
            switch interruption.reason.kind {
            case .truncated: askToContinue(after: interruption.daysCompleted)   // README: continue from day N
            case .idleTimeout, .connectionLost: retry()
            default: show(interruption.description)
            }
            // PlanStreamInterruption.Reason — end
        }
        XCTAssertEqual(said, ["continue after 3", "retry", "cancelled; 3 days completed"])
    }

    func testArgumentReader() throws {
        // CommandLineArguments — begin
        let arguments = try CommandLineArguments(["plan.json", "--chunk-size", "4"], valued: ["chunk-size"], switches: [])
        try arguments.count("chunk-size", default: 4096)   // 4
        // CommandLineArguments — end
        XCTAssertEqual(try arguments.count("chunk-size", default: 4096), 4)
        XCTAssertEqual(arguments.positionals, ["plan.json"])
    }

    // MARK: - Network examples: compiled, not called

    func compiledOnlyClient(apiKey: String, body: Data) async {
        var saved: [String?] = []
        func show(_ day: PlanDay, _ index: Int) {}
        func save(_ json: String?) { saved.append(json) }
        // PlanStreamClient — begin
        var request = URLRequest(url: URL(string:
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse")!)
        request.httpMethod = "POST"
        request.setValue(apiKey, forHTTPHeaderField: "x-goog-api-key")
        request.httpBody = body
        let stream = PlanStreamClient().events(for: request, format: .gemini)
        do {
            for try await event in stream {
                if case .dayCompleted(let index, let day, _) = event { show(day, index) }
            }
        } catch let interruption as PlanStreamInterruption {
            print(interruption.reason)
            save(stream.partialPlan?.json)             // every completed day, whatever happened
        }
        // PlanStreamClient — end
        catch { print(error) }
    }

    func compiledOnlyInterruption(client: PlanStreamClient, request: URLRequest) async throws {
        func handle(_ event: PlanEvent<PlanMetadata, PlanDay>) {}
        // PlanStreamInterruption — begin
        do {
            for try await event in client.events(for: request, format: .gemini) { handle(event) }
        } catch let interruption as PlanStreamInterruption {
            print(interruption.reason, interruption.daysCompleted)
        }
        // PlanStreamInterruption — end
    }

    func compiledOnlyToolArguments(client: PlanStreamClient, request: URLRequest) {
        // DocumentSource — begin
        let stream = client.events(for: request, format: .anthropic, document: .toolArguments(named: "save_plan"))
        // DocumentSource — end
        _ = stream
    }

    func compiledOnlyReadmeGemini(apiKey: String) async {
        func render(_ day: PlanDay, at index: Int) {}
        func save(_ json: String?) {}
        // README: Gemini — begin
        var request = URLRequest(url: URL(string: "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse")!)
        request.httpMethod = "POST"
        request.setValue(apiKey, forHTTPHeaderField: "x-goog-api-key")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"contents": [{"parts": [{"text": "A 30-day plan as JSON …"}]}],"generationConfig": {"responseMimeType": "application/json"}}"#.utf8)

        let client = PlanStreamClient(idleTimeout: .seconds(60))   // restarts with every chunk
        let stream = client.events(for: request, format: .gemini)
        do {
            for try await event in stream {
                if case .dayCompleted(let index, let day, _) = event { render(day, at: index) }
            }
        } catch let interruption as PlanStreamInterruption {        // MAX_TOKENS, provider error, timeout, lost connection…
            print(interruption.reason)
            save(stream.partialPlan?.json)                          // every completed day, as the bytes that arrived
        }
        // README: Gemini — end
        catch { print(error) }
    }

    struct MyMeta: Decodable, Sendable { var title: String }
    struct MyDay: Decodable, Sendable { var day: Int }

    func compiledOnlyReadmeOpenAI(apiKey: String, client: PlanStreamClient) async throws {
        func handle(_ event: PlanEvent<MyMeta, MyDay>) {}
        // README: OpenAI — begin
        var request = URLRequest(url: URL(string: "https://api.openai.com/v1/chat/completions")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"model": "gpt-4o", "stream": true, "response_format": {"type": "json_object"}, "messages": [...]}"#.utf8)

        for try await event in client.events(for: request, format: .openai, schema: PlanSchema(),
                                             metadata: MyMeta.self, day: MyDay.self) { handle(event) }
        // README: OpenAI — end
    }

    func compiledOnlyReadmeTool(client: PlanStreamClient, request: URLRequest) {
        // README: tool arguments — begin
        let stream = client.events(for: request, format: .anthropic, document: .toolArguments(named: "save_plan"))
        // README: tool arguments — end
        _ = stream
    }
}
