import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
import IncrementalJSON
import PlanStream
@testable import PlanStreamClient

/// The client against a real HTTP server on loopback: through the socket transport (what
/// ``PlanStreamClient/Transport/automatic`` picks for `http://`), and through URLSession.
final class PlanStreamClientTests: ReplayServerTestCase {
    typealias Events = [PlanEvent<JSONValue, JSONValue>]

    /// Every event of a stream, and the error that ended it.
    func collect(_ stream: PlanEventStream<JSONValue, JSONValue>) async -> (events: Events, error: (any Error)?) {
        var events: Events = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    func stream(_ fixture: String, _ options: String = "", format: StreamFormat,
                client: PlanStreamClient = PlanStreamClient(idleTimeout: .seconds(10))) async -> (events: Events, error: (any Error)?) {
        await collect(client.events(for: server.request(fixture, options), format: format, schema: PlanSchema(),
                                    metadata: JSONValue.self, day: JSONValue.self))
    }

    let plan = try! JSONValue(parsing: try! Data(contentsOf: fixturesURL.appendingPathComponent("plan-7d.json")))
    var originalDays: [JSONValue] { plan["days"]!.arrayValue! }

    func days(_ events: Events) -> [JSONValue] {
        events.compactMap { if case .dayCompleted(_, let day, _) = $0 { return day } else { return nil } }
    }

    func summary(_ events: Events) -> [String] {
        events.map { event in
            switch event {
            case .metadataReady: return "metadata"
            case .dayStarted(let i, _): return "start \(i)"
            case .dayCompleted(let i, _, _): return "day \(i)"
            case .progress(let p): return "progress \(p.daysCompleted)/\(p.expectedDays ?? -1)"
            case .completed(let plan): return "completed \(plan.days.count)"
            case .partial(let partial): return "partial \(partial.nextDayIndex)"
            default: return "\(event)"
            }
        }
    }

    func interruption(_ error: (any Error)?, file: StaticString = #filePath, line: UInt = #line) -> PlanStreamInterruption? {
        guard let interruption = error as? PlanStreamInterruption else {
            XCTFail("expected an interruption, got \(String(describing: error))", file: file, line: line)
            return nil
        }
        return interruption
    }

    /// progress (the length is known: `duration.value` inside the metadata), metadata, then for
    /// each day: start, day, progress; then completed.
    var completeSummary: [String] {
        ["progress 0/7", "metadata"] + (0..<7).flatMap { ["start \($0)", "day \($0)", "progress \($0 + 1)/7"] } + ["completed 7"]
    }

    // MARK: - Complete streams, every format

    func testByteByByteWrites() async {
        let relay = await stream("streams/relay-7d.sse", "chunk=1", format: .progress)
        XCTAssertNil(relay.error)
        XCTAssertEqual(summary(relay.events), completeSummary)
        XCTAssertEqual(days(relay.events), originalDays)
        let result = await stream("streams/gemini-7d.sse", "chunk=5", format: .gemini)
        XCTAssertNil(result.error)
        XCTAssertEqual(summary(result.events), completeSummary)
        XCTAssertEqual(days(result.events), originalDays)
        guard case .completed(let completed)? = result.events.last else { return XCTFail() }
        XCTAssertEqual(try JSONValue(parsing: completed.json), plan, "the document as received")
    }

    func testEveryFormatWithDelays() async {
        for (fixture, format) in [("streams/openai-7d.sse", StreamFormat.openai), ("streams/ollama-7d.ndjson", .ndjson),
                                  ("plan-7d.json", .text), ("streams/relay-7d.sse", .progress)] {
            let result = await stream(fixture, "chunk=97&delay=0.0005", format: format)
            XCTAssertNil(result.error, fixture)
            XCTAssertEqual(summary(result.events), completeSummary, fixture)
            XCTAssertEqual(days(result.events), originalDays, fixture)
        }
    }

    /// `http://` goes over the socket by default; URLSession, when asked for (and for `https://`),
    /// gives the same events: a complete stream, a cut connection, an HTTP error.
    func testBothTransports() async {
        XCTAssertTrue(SocketByteStream.canSend(server.request("plan-7d.json")))
        XCTAssertFalse(SocketByteStream.canSend(URLRequest(url: URL(string: "https://example.com/v1")!)))
        for transport in [PlanStreamClient.Transport.automatic, .urlSession] {
            let client = PlanStreamClient(idleTimeout: .seconds(10), transport: transport)
            let complete = await stream("streams/openai-7d.sse", "chunk=97", format: .openai, client: client)
            XCTAssertNil(complete.error, "\(transport)")
            XCTAssertEqual(summary(complete.events), completeSummary, "\(transport)")
            XCTAssertEqual(days(complete.events), originalDays, "\(transport)")
            let cut = await stream("streams/ollama-7d.ndjson", "chunk=50&cut=5000", format: .ndjson, client: client)
            XCTAssertEqual(interruption(cut.error)?.reason.kind, .connectionLost, "\(transport)")
            guard case .partial(let partial)? = cut.events.last else { return XCTFail("\(transport)") }
            XCTAssertEqual(partial.days, Array(originalDays.prefix(partial.nextDayIndex)), "\(transport)")
            let refused = await stream("streams/openai-500.json", "status=503", format: .openai, client: client)
            XCTAssertEqual(interruption(refused.error)?.reason.statusCode, 503, "\(transport)")
            XCTAssertEqual(interruption(refused.error)?.reason.message?.contains("server had an error"), true, "\(transport)")
        }
        // An error response cut short still says its status over the socket.
        let cutError = await stream("streams/openai-500.json", "status=500&cut=30", format: .openai)
        XCTAssertEqual(interruption(cutError.error)?.reason.statusCode, 500)
    }

    /// Nothing listens: the socket transport says so at once, as a lost connection.
    func testNoServer() async throws {
        // A port that was free a moment ago: bound, read back, closed.
        #if canImport(Darwin)
        let listener = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        close(listener)
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/plan.json")!)
        let result = await collect(PlanStreamClient(idleTimeout: .seconds(10)).events(
            for: request, format: .text, schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self))
        let reason = interruption(result.error)?.reason
        XCTAssertEqual(reason?.kind, .connectionLost)
        XCTAssertEqual(reason?.message?.contains("cannot connect to 127.0.0.1:\(port)"), true, "\(String(describing: reason))")
    }

    /// A header or method that would add lines to the request — a name with CRLF or that is not a
    /// token, a method with CRLF — is refused before anything is sent. (The check reads bytes:
    /// Swift reads CRLF as one Character, which the check for "\r" or "\n" let through.) Values
    /// with CR, LF or NUL are refused too, where `URLRequest` keeps them (FoundationNetworking
    /// drops them itself; those cases are then skipped).
    func testHeadersThatWouldAddLinesAreRefused() async {
        var requests: [URLRequest] = []
        for (name, value) in [("X-Key\r\nX-Injected", "1"), ("X Key", "k"), ("X-Key:", "k"),
                              ("X-Key", "k\r\nX-Injected: 1"), ("X-Key", "k\nX"), ("X-Key", "k\rX"), ("X-Key", "k\u{0}")] {
            var request = server.request("plan-7d.json", "envelope=openai")
            request.setValue(value, forHTTPHeaderField: name)
            if request.value(forHTTPHeaderField: name) != nil { requests.append(request) }
        }
        var method = server.request("plan-7d.json", "envelope=openai")
        method.httpMethod = "GET /other HTTP/1.1\r\nX-Injected: 1\r\n\r\nPOST"
        requests.append(method)
        XCTAssertGreaterThanOrEqual(requests.count, 2)
        for request in requests {
            let result = await collect(PlanStreamClient(idleTimeout: .seconds(10)).events(
                for: request, format: .openai, schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self))
            let message = "\(String(describing: interruption(result.error)?.reason))"
            XCTAssertTrue(days(result.events).isEmpty, message)
            XCTAssertTrue(message.contains("header") || message.contains("method"), message)
        }
        // The same request with a clean header streams the plan.
        var clean = server.request("plan-7d.json", "envelope=openai")
        clean.setValue("k", forHTTPHeaderField: "X-Key")
        let result = await collect(PlanStreamClient(idleTimeout: .seconds(10)).events(
            for: clean, format: .openai, schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self))
        XCTAssertEqual(days(result.events), originalDays)
    }

    // MARK: - Interruptions: each ends with the partial plan and the reason

    func testConnectionCutInTheMiddleOfADay() async {
        let result = await stream("streams/gemini-7d.sse", "chunk=50&cut=70000", format: .gemini)
        let interruption = interruption(result.error)
        guard interruption?.reason.kind == .connectionLost else { return XCTFail("\(String(describing: interruption))") }
        guard case .partial(let partial)? = result.events.last else { return XCTFail() }
        XCTAssertEqual(partial.days, Array(originalDays.prefix(partial.nextDayIndex)))
        XCTAssertGreaterThan(partial.nextDayIndex, 2)
        XCTAssertEqual(interruption?.daysCompleted, partial.nextDayIndex)
        XCTAssertNotNil(partial.dayInProgress, "the cut fell inside a day")
        let saved = try! JSONValue(parsing: partial.json!)
        XCTAssertEqual(saved["days"]?.arrayValue, Array(originalDays.prefix(partial.nextDayIndex)))
    }

    func testStallLongerThanTheIdleTimeout() async {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await stream("streams/openai-7d.sse", "chunk=500&stall=5", format: .openai,
                                  client: PlanStreamClient(idleTimeout: .milliseconds(800)))
        XCTAssertLessThan(clock.now - start, .seconds(4), "the idle timeout fired, not the stall's end")
        guard interruption(result.error)?.reason == .idleTimeout(.milliseconds(800)) else {
            return XCTFail("\(String(describing: result.error))")
        }
        guard case .partial(let partial)? = result.events.last else { return XCTFail() }
        XCTAssertEqual(partial.days, Array(originalDays.prefix(partial.nextDayIndex)))
    }

    func testTheIdleTimeoutRestartsWithEveryChunk() async {
        // 160 writes 20 ms apart take over 3 s, far beyond the 0.5 s idle timeout, yet never idle that long.
        let result = await stream("streams/relay-7d.sse", "chunk=128&delay=0.02", format: .progress,
                                  client: PlanStreamClient(idleTimeout: .milliseconds(500)))
        XCTAssertNil(result.error)
        XCTAssertEqual(days(result.events), originalDays)
    }

    func testDeadline() async {
        let result = await stream("streams/openai-7d.sse", "chunk=64&delay=0.01", format: .openai,
                                  client: PlanStreamClient(idleTimeout: .seconds(10), deadline: .milliseconds(400)))
        guard interruption(result.error)?.reason.kind == .deadlineExceeded else { return XCTFail("\(String(describing: result.error))") }
        guard case .partial? = result.events.last else { return XCTFail() }
    }

    func testHTTPErrorsCarryStatusAndBody() async {
        for (fixture, status, text) in [("streams/gemini-429.json", 429, "RESOURCE_EXHAUSTED"), ("streams/openai-500.json", 500, "server had an error")] {
            let result = await stream(fixture, "status=\(status)", format: .gemini)
            let interruption = interruption(result.error)
            guard let code = interruption?.reason.statusCode, let body = interruption?.reason.message else { return XCTFail() }
            XCTAssertEqual(code, status)
            XCTAssertTrue(body.contains(text), body)
            XCTAssertEqual(interruption?.receivedDocumentText, false)
            XCTAssertEqual(interruption?.daysCompleted, 0)
        }
    }

    func testProviderErrorMidStream() async {
        let result = await stream("streams/gemini-error-mid-stream.sse", "chunk=333", format: .gemini)
        guard let error = interruption(result.error)?.reason.providerError else { return XCTFail("\(String(describing: result.error))") }
        XCTAssertEqual(error.code, "CANCELLED")
        XCTAssertEqual(error.message, "The operation was cancelled.")
        guard case .partial(let partial)? = result.events.last else { return XCTFail() }
        XCTAssertGreaterThan(partial.nextDayIndex, 2)
        XCTAssertEqual(partial.days, Array(originalDays.prefix(partial.nextDayIndex)))
    }

    func testMaxTokensAndLengthFinishes() async {
        for (fixture, format, reason) in [("streams/gemini-max-tokens.sse", StreamFormat.gemini, "MAX_TOKENS"),
                                          ("streams/openai-length.sse", .openai, "length")] {
            let result = await stream(fixture, "chunk=211", format: format)
            guard let stop = interruption(result.error)?.reason, stop.kind == .truncated, let finish = stop.finishReason else { return XCTFail("\(String(describing: result.error))") }
            XCTAssertEqual(finish.rawValue, reason)
            guard case .partial(let partial)? = result.events.last else { return XCTFail() }
            XCTAssertGreaterThan(partial.nextDayIndex, 2, fixture)
            XCTAssertEqual(partial.days, Array(originalDays.prefix(partial.nextDayIndex)), fixture)
        }
    }

    func testCancellingTheConsumerCancelsTheRequest() async throws {
        let client = PlanStreamClient(idleTimeout: .seconds(30))
        // The whole stream would take about 3 s at this pace.
        let request = server.request("streams/openai-7d.sse", "chunk=64&delay=0.002")
        for leaveByBreaking in [false, true] {
            let events = client.events(for: request, format: .openai, schema: PlanSchema(),
                                       metadata: JSONValue.self, day: JSONValue.self)
            let consumer = Task {
                var completed = 0
                for try await event in events {
                    if case .dayCompleted = event { completed += 1 }
                    if leaveByBreaking && completed == 2 { break }
                }
            }
            while (events.partialPlan?.nextDayIndex ?? 0) < 2 { try await Task.sleep(for: .milliseconds(5)) }
            if !leaveByBreaking { consumer.cancel() }
            _ = await consumer.result
            // Every completed day is kept for whoever asks after the consumer left, and the request
            // stopped: long after the stream would have ended, the plan has not grown to 7 days.
            try await Task.sleep(for: .milliseconds(300))
            let kept = events.partialPlan?.nextDayIndex ?? 0
            XCTAssertGreaterThanOrEqual(kept, 2)
            try await Task.sleep(for: .seconds(3))
            XCTAssertEqual(events.partialPlan?.nextDayIndex, kept, leaveByBreaking ? "break" : "cancel")
            XCTAssertLessThan(kept, 7)
        }
    }

    // MARK: - Without the URLSession transport

    func testAnyAsyncSequenceOfChunks() async throws {
        let body = Array(try Data(contentsOf: fixturesURL.appendingPathComponent("streams/ollama-7d.ndjson")))
        let chunks = AsyncStream<[UInt8]> { continuation in
            for start in stride(from: 0, to: body.count, by: 7) { continuation.yield(Array(body[start..<min(start + 7, body.count)])) }
            continuation.finish()
        }
        let result = await collect(PlanStreamClient().events(from: chunks, format: .ndjson, schema: PlanSchema(),
                                                             metadata: JSONValue.self, day: JSONValue.self))
        XCTAssertNil(result.error)
        XCTAssertEqual(days(result.events), originalDays)
    }

    /// A Swift backend relays a model's plan with RelayEncoder; its clients read it back as `.progress`.
    /// The model's trailing commas (a day's last tip, its activities) do not reach them, nor do its
    /// line endings (LF, CRLF, a lone CR — each ends an event stream's line): every event's data,
    /// read as the standard reads lines, is strict JSON.
    func testRelayEncoderRoundTrip() async throws {
        let original = try Data(contentsOf: fixturesURL.appendingPathComponent("plan-7d.json"))
        var text = String(decoding: original, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"\n      ]", with: "\",\n      ]")     // after a day's last tip
            .replacingOccurrences(of: "}\n      ],", with: "},\n      ],")            // after its last activity or meal
        XCTAssertEqual(text.utf8.count, original.count + 21, "21 commas inserted")
        for lineEnding in ["\n", "\r\n", "\r"] {
            let source = Data(text.replacingOccurrences(of: "\n", with: lineEnding).utf8)
            let parser = PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self)
            var relay = RelayEncoder()
            var sse = relay.status("Starting generation...")
            // As RelayEncoder's doc example does it: `feed` returns a batch (here, several days at once).
            for start in stride(from: 0, to: source.count, by: 3000) {
                for event in try parser.feed(source[start..<min(start + 3000, source.count)]) {
                    if let lines = relay.encode(event) { sse += lines }
                }
            }
            for event in parser.finish() {
                if let lines = relay.encode(event) { sse += lines }
            }
            XCTAssertTrue(sse.contains(#"data: {"type":"day_complete","day":1,"total":7,"data":{"#),
                          "the total is known from the metadata's duration on, before the first day")
            XCTAssertTrue(sse.contains(#"data: {"type":"day_complete","day":2,"total":7,"data":{"#))
            let payloads = Self.eventData(sse)
            XCTAssertEqual(payloads.count, 1 + 1 + 7 * 2 + 1 + 1, "status, metadata, days and progress, expected days, complete")
            for data in payloads {
                XCTAssertNoThrow(try JSONValue(parsing: data, options: .strict), String(data.prefix(120)))
            }
            let result = await readRelay(sse)
            XCTAssertNil(result.error)
            XCTAssertEqual(days(result.events), originalDays, "line ending \(lineEnding.debugDescription)")
        }
    }

    /// Each event's data in `sse`, its lines ended by LF, CRLF or CR and joined with LF, as the
    /// event stream standard (WHATWG HTML §9.2.6) reads them; other fields ignored.
    static func eventData(_ sse: String) -> [String] {
        var payloads: [String] = []
        var data: [Substring]? = nil
        for line in sse.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if line.isEmpty {
                if let lines = data { payloads.append(lines.joined(separator: "\n")) }
                data = nil
            } else if line.hasPrefix("data:") {
                let value = line.dropFirst(5)
                data = (data ?? []) + [value.hasPrefix(" ") ? value.dropFirst() : value]
            }
        }
        return payloads
    }

    /// A hundred streams at once in one process, each the 7-day plan in 3–6-byte OpenAI-style
    /// deltas: every one completes with the exact plan.
    func testAHundredConcurrentStreams() async throws {
        let expected = String(decoding: try Data(contentsOf: fixturesURL.appendingPathComponent("plan-7d.json")),
                              as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let request = server.request("plan-7d.json", "envelope=openai&chunk=512")
        let completed = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    let stream = PlanStreamClient(idleTimeout: .seconds(30)).events(
                        for: request, format: .openai, schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self)
                    do {
                        for try await event in stream {
                            if case .completed(let plan) = event { return plan.json == expected && plan.days.count == 7 }
                        }
                    } catch {
                        return false
                    }
                    return false
                }
            }
            var completed = 0
            for await ok in group where ok { completed += 1 }
            return completed
        }
        XCTAssertEqual(completed, 100)
    }

    /// Every way a stream over the socket transport ends — complete, cut, an HTTP error, invalid
    /// JSON in the document, the idle timeout, a consumer that leaves — closes its connection:
    /// with all of them at once on the event loop, the process's open descriptors come back to
    /// what they were.
    func testEveryEndClosesItsSocket() async throws {
        #if os(Linux)
        let descriptors = "/proc/self/fd"
        #else
        let descriptors = "/dev/fd"
        #endif
        func openDescriptors() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: descriptors).count }
        _ = await stream("plan-7d.json", "envelope=openai&chunk=512", format: .openai)   // the loop's own pipe, opened once
        let before = try openDescriptors()

        let quick = PlanStreamClient(idleTimeout: .seconds(10))
        let endings: [(URLRequest, StreamFormat, PlanStreamClient, PlanStreamInterruption.Kind?)] = [
            (server.request("plan-7d.json", "envelope=openai&chunk=512"), .openai, quick, nil),
            (server.request("streams/gemini-7d.sse", "chunk=50&cut=20000"), .gemini, quick, .connectionLost),
            (server.request("streams/gemini-429.json", "status=429"), .gemini, quick, .httpStatus),
            (server.request("malformed/missing-comma.json", "chunk=8"), .text, quick, .invalidJSON),
            (server.request("streams/openai-7d.sse", "chunk=500&stall=5"), .openai,
             PlanStreamClient(idleTimeout: .milliseconds(300)), .idleTimeout),
        ]
        let paced = server.request("streams/openai-7d.sse", "chunk=64&delay=0.002")
        let outcomes = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<4 {
                for (request, format, client, expected) in endings {
                    group.addTask {
                        let events = client.events(for: request, format: format, schema: PlanSchema(),
                                                   metadata: JSONValue.self, day: JSONValue.self)
                        var kind: PlanStreamInterruption.Kind?
                        do {
                            for try await _ in events {}
                        } catch {
                            kind = (error as? PlanStreamInterruption)?.reason.kind
                        }
                        return kind == expected ? nil : "\(request.url!): \(String(describing: kind))"
                    }
                }
                group.addTask {
                    // A consumer that leaves after the first day.
                    let events = quick.events(for: paced, format: .openai, schema: PlanSchema(),
                                              metadata: JSONValue.self, day: JSONValue.self)
                    do {
                        for try await event in events { if case .dayCompleted = event { break } }
                    } catch {
                        return "leaving: \(error)"
                    }
                    return nil
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        XCTAssertEqual(outcomes, [])
        // The loop closes a socket just after the stream's end is delivered.
        var after = try openDescriptors()
        for _ in 0..<100 where after > before {
            try await Task.sleep(for: .milliseconds(20))
            after = try openDescriptors()
        }
        XCTAssertLessThanOrEqual(after, before, "descriptors left open")
    }

    /// The client yields snapshots under its policy; a stream cut in a day reports the last
    /// snapshot as the partial plan's day in progress.
    func testSnapshotsThroughTheClient() async throws {
        let client = PlanStreamClient(idleTimeout: .seconds(10), snapshots: .everyChange)
        let result = await stream("plan-7d.json", "envelope=ndjson", format: .ndjson, client: client)
        XCTAssertNil(result.error)
        var snapshots = 0
        var completedIndices: Set<Int> = []
        for event in result.events {
            if case .daySnapshot(let index, _) = event {
                snapshots += 1
                XCTAssertFalse(completedIndices.contains(index), "no snapshot of a day after its completion")
            }
            if case .dayCompleted(let index, _, _) = event { completedIndices.insert(index) }
        }
        XCTAssertGreaterThan(snapshots, 500)
        XCTAssertEqual(days(result.events), originalDays)

        let cut = await stream("plan-7d.json", "envelope=ndjson&cut=100000", format: .ndjson, client: client)
        XCTAssertNotNil(cut.error)
        let lastSnapshot = cut.events.last { if case .daySnapshot = $0 { return true } else { return false } }
        guard case .daySnapshot(let index, let partial)? = lastSnapshot,
              case .partial(let plan)? = cut.events.last(where: { if case .partial = $0 { return true } else { return false } })
        else { return XCTFail("\(summary(cut.events))") }
        XCTAssertEqual(index, plan.nextDayIndex)
        XCTAssertEqual(plan.dayInProgress, partial)
    }

    /// RelayEncoder relays the day being written as `day_progress` (what a web page previews);
    /// the relay reader ignores it, so the plan is read back whole.
    func testRelayEncoderDayProgress() async throws {
        let source = try Data(contentsOf: fixturesURL.appendingPathComponent("plan-7d.json"))
        let parser = PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self,
                                      snapshots: .atMost(everyBytes: 256))
        var relay = RelayEncoder()
        var sse = ""
        for start in stride(from: 0, to: source.count, by: 16) {
            parser.push(source[start..<min(start + 16, source.count)])
            while let event = try parser.nextEvent() {
                if let lines = relay.encode(event) { sse += lines }
            }
        }
        parser.endInput()
        while let event = try parser.nextEvent() {
            if let lines = relay.encode(event) { sse += lines }
        }
        let events = sse.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        XCTAssertEqual(events.map { $0.prefix { $0 != "\n" } }, (1...events.count).map { "id: \($0)" }, "events are numbered")
        let progress = events.map { $0.drop { $0 != "\n" }.dropFirst() }
            .filter { $0.hasPrefix(#"data: {"type":"day_progress","day":3,"#) }
        XCTAssertGreaterThan(progress.count, 2)
        let last = try JSONValue(parsing: String(progress.last!.dropFirst("data: ".count)))
        XCTAssertEqual(last["data"]?["day"], originalDays[2]["day"])
        for block in sse.components(separatedBy: "\n\n") where block.contains("data: ") {
            let data = block.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { $0.dropFirst(6) }.joined(separator: "\n")
            XCTAssertNoThrow(try JSONValue(parsing: data, options: .strict), String(data.prefix(120)))
        }
        let result = await readRelay(sse)
        XCTAssertNil(result.error)
        XCTAssertEqual(days(result.events), originalDays)
    }

    /// The client's decoder strategies reach the days: a snake-case plan into camel-case types.
    func testClientDecoderStrategies() async throws {
        struct Meta: Decodable, Equatable, Sendable { var planTitle: String }
        struct Day: Decodable, Equatable, Sendable { var day: Int; var focusArea: String }
        let body = #"{"metadata": {"plan_title": "Calm"}, "days": [{"day": 1, "focus_area": "sleep"}]}"#
        let chunks = AsyncStream<[UInt8]> { continuation in
            for byte in body.utf8 { continuation.yield([byte]) }
            continuation.finish()
        }
        var decoder = JSONTokenDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let stream = PlanStreamClient(decoder: decoder).events(from: chunks, format: .text, schema: PlanSchema(),
                                                                metadata: Meta.self, day: Day.self)
        var plan: Plan<Meta, Day>?
        for try await event in stream { if case .completed(let completed) = event { plan = completed } }
        XCTAssertEqual(plan?.metadata, Meta(planTitle: "Calm"))
        XCTAssertEqual(plan?.days, [Day(day: 1, focusArea: "sleep")])
    }

    /// Relay protocol text read back by the client, as a browser-facing backend's clients would.
    func readRelay(_ sse: String) async -> (events: Events, error: (any Error)?) {
        let chunks = AsyncStream<[UInt8]> { continuation in
            continuation.yield(Array(sse.utf8))
            continuation.finish()
        }
        return await collect(PlanStreamClient().events(from: chunks, format: .progress, schema: PlanSchema(),
                                                       metadata: JSONValue.self, day: JSONValue.self))
    }
}
