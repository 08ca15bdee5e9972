import Foundation
import XCTest
import IncrementalJSON
@testable import PlanStreamClient

/// Each provider's stream and whole response (Fixtures/providers, written from the public API
/// docs), read at every chunking — whole, byte by byte, and seeded random cuts — with the format
/// named and with `.auto`: the same document text and signals every time, and thoughts, refusals,
/// other choices and other tool calls never in the document.
final class ProviderFormatTests: XCTestCase {
    static let folder = fixturesURL.appendingPathComponent("providers")
    let document = try! String(contentsOf: ProviderFormatTests.folder.appendingPathComponent("document.json"), encoding: .utf8)

    /// What a body said, with its text joined.
    struct Reading: Equatable {
        var text = ""
        var signals: [StreamBodyReader.Signal] = []

        var finishes: [String] { signals.compactMap { if case .finished(let r) = $0 { r.rawValue } else { nil } } }
        var errors: [ProviderError] { signals.compactMap { if case .providerError(let e) = $0 { e } else { nil } } }
        var refusal: String { signals.compactMap { if case .refusal(let t) = $0 { t } else { nil } }.joined() }
        var usage: JSONValue? { signals.compactMap { if case .usage(let u) = $0 { u } else { nil } }.last }
        var malformed: [String] { signals.compactMap { if case .malformed(let m) = $0 { m } else { nil } } }
    }

    static func read(_ body: [UInt8], _ format: StreamFormat, _ document: DocumentSource,
                     contentType: String?, cuts: [Int]) -> Reading {
        var reader = StreamBodyReader(format: format, document: document, contentType: contentType)
        var bytes: [UInt8] = []
        var reading = Reading()
        var start = 0
        for end in cuts.map({ min($0, body.count) }) + [body.count] where end >= start {
            for signal in reader.feed(body[start..<end]) { collect(signal) }
            start = end
        }
        for signal in reader.finish() { collect(signal) }
        func collect(_ signal: StreamBodyReader.Signal) {
            if case .text(let piece) = signal { bytes += piece } else { reading.signals.append(signal) }
        }
        reading.text = String(decoding: bytes, as: UTF8.self)
        return reading
    }

    /// Reads `name` whole, byte by byte and at seeded random cuts, as `format` and as `.auto` (with
    /// and without the Content-Type), and checks that every reading is the same.
    func read(_ name: String, _ format: StreamFormat, _ document: DocumentSource = .text,
              file: StaticString = #filePath, line: UInt = #line) throws -> Reading {
        let body = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let contentType = name.hasSuffix(".sse") ? "text/event-stream"
            : name.hasSuffix(".ndjson") ? "application/x-ndjson" : "application/json"
        let whole = Self.read(body, format, document, contentType: contentType, cuts: [])
        // Every format and Content-Type combination must read the same at every chunking.
        for (readFormat, type) in [(format, contentType), (format, nil), (.auto, contentType), (.auto, nil)] {
            let reading = SplitVerifier.verify(body, [.byteByByte, .random(count: 12, maximumChunk: 40)],
                                               "\(name) as \(readFormat), Content-Type \(type ?? "none")",
                                               file: file, line: line) { cuts in
                Self.read(body, readFormat, document, contentType: type, cuts: cuts)
            }
            XCTAssertEqual(reading, whole, "\(name) as \(readFormat), Content-Type \(type ?? "none"), whole", file: file, line: line)
        }
        XCTAssertEqual(whole.malformed, [], name, file: file, line: line)
        return whole
    }

    func assertJSONEqual(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try? JSONValue(parsing: text), try? JSONValue(parsing: expected), text, file: file, line: line)
    }

    // MARK: - Anthropic

    func testAnthropicTextSkipsThinkingAndReadsStopReasonAndUsage() throws {
        let reading = try read("anthropic-text.sse", .anthropic)
        XCTAssertEqual(reading.text, document, "thinking and signature deltas are not document text")
        XCTAssertEqual(reading.finishes, ["end_turn"])
        XCTAssertEqual(reading.usage, .object(["output_tokens": .number(JSONNumber("61")!)]))
    }

    func testAnthropicToolUseArguments() throws {
        XCTAssertEqual(try read("anthropic-tool.sse", .anthropic, .toolArguments(named: "save_plan")).text, document)
        XCTAssertEqual(try read("anthropic-tool.sse", .anthropic, .toolArguments()).text, #"{"city": "Paris"}"#,
                       "the first tool call")
        let text = try read("anthropic-tool.sse", .anthropic)
        XCTAssertEqual(text.text, "I'll save the plan.", "tool input is never text")
        XCTAssertEqual(text.finishes, ["tool_use"])
        XCTAssertEqual(FinishReason(rawValue: "tool_use").kind, .complete)
        XCTAssertEqual(try read("anthropic-tool.sse", .anthropic, .toolArguments(named: "missing")).text, "")
    }

    func testAnthropicMaxTokensInsideTheToolInput() throws {
        let reading = try read("anthropic-max-tokens.sse", .anthropic, .toolArguments(named: "save_plan"))
        XCTAssertEqual(reading.text, String(document.prefix(70)))
        XCTAssertEqual(reading.finishes, ["max_tokens"])
        XCTAssertEqual(FinishReason(rawValue: "max_tokens").kind, .truncated)
    }

    func testAnthropicErrorEvent() throws {
        let reading = try read("anthropic-error.sse", .anthropic)
        XCTAssertEqual(reading.text, String(document.prefix(30)))
        XCTAssertEqual(reading.errors, [ProviderError(message: "Overloaded", code: "overloaded_error")])
    }

    // MARK: - OpenAI Responses

    func testResponsesTextIsNotRepeatedByDoneEvents() throws {
        let reading = try read("openai-responses-text.sse", .openaiResponses)
        XCTAssertEqual(reading.text, document, "no reasoning summary, no .done repeat")
        XCTAssertEqual(reading.finishes, ["completed"])
        XCTAssertEqual(reading.usage?["total_tokens"], .number(JSONNumber("80")!))
    }

    func testResponsesFunctionCallArgumentsByItem() throws {
        XCTAssertEqual(try read("openai-responses-tool.sse", .openaiResponses, .toolArguments(named: "save_plan")).text, document)
        XCTAssertEqual(try read("openai-responses-tool.sse", .openaiResponses, .toolArguments()).text, #"{"city": "Paris"}"#)
        XCTAssertEqual(try read("openai-responses-tool.sse", .openaiResponses).text, "")
    }

    func testResponsesIncompleteAndRepeatedSequenceNumbers() throws {
        let reading = try read("openai-responses-incomplete.sse", .openaiResponses)
        XCTAssertEqual(reading.text, String(document.prefix(64)), "the repeated event is skipped")
        XCTAssertEqual(reading.finishes, ["max_output_tokens"])
        XCTAssertEqual(FinishReason(rawValue: "max_output_tokens").kind, .truncated)
    }

    func testResponsesRefusalFailureAndError() throws {
        let refusal = try read("openai-responses-refusal.sse", .openaiResponses)
        XCTAssertEqual(refusal.text, "")
        XCTAssertEqual(refusal.refusal, "I can't help with that.")
        let failed = try read("openai-responses-failed.sse", .openaiResponses)
        XCTAssertEqual(failed.text, String(document.prefix(20)))
        XCTAssertEqual(failed.errors, [ProviderError(message: "The model failed.", code: "server_error")])
        XCTAssertEqual(try read("openai-responses-error.sse", .openaiResponses).errors,
                       [ProviderError(message: "Slow down.", code: "rate_limit_exceeded")])
    }

    // MARK: - OpenAI chat

    func testChatChoicesAreToldApartByIndex() throws {
        let first = try read("openai-n3.sse", .openai)
        XCTAssertEqual(first.text, document, "choices 1 and 2 never enter choice 0's document")
        XCTAssertEqual(first.finishes, ["stop"], "only the chosen choice's finish reason")
        XCTAssertEqual(first.usage?["total_tokens"], .number(JSONNumber("100")!), "a usage-only chunk has choices: []")
        XCTAssertEqual(try read("openai-n3.sse", .openai, .text(choice: 1)).text, #"{"other": "choice one"}"#)
        XCTAssertEqual(try read("openai-n3.sse", .openai, .text(choice: 2)).text, #"[2, "choice two"]"#)
    }

    func testChatParallelToolCalls() throws {
        XCTAssertEqual(try read("openai-tool.sse", .openai, .toolArguments(named: "save_plan")).text, document)
        let first = try read("openai-tool.sse", .openai, .toolArguments())
        XCTAssertEqual(first.text, #"{"city": "Paris"}"#)
        XCTAssertEqual(first.finishes, ["tool_calls"])
        XCTAssertEqual(FinishReason(rawValue: "tool_calls").kind, .complete)
    }

    func testAzurePromptFilterChunkAndRefusals() throws {
        let azure = try read("openai-azure.sse", .openai)
        XCTAssertEqual(azure.text, document)
        XCTAssertEqual(azure.refusal, "(not document text)")
        XCTAssertEqual(azure.usage, .object(["total_tokens": .number(JSONNumber("77")!)]))
        let refusal = try read("openai-refusal.sse", .openai)
        XCTAssertEqual(refusal.text, "")
        XCTAssertEqual(refusal.refusal, "I'm sorry, I can't do that.")
    }

    // MARK: - Gemini

    func testGeminiStreamedArray() throws {
        let reading = try read("gemini-array.json", .geminiJSON)
        XCTAssertEqual(reading.text, document, "no thoughts, images, code or signatures in the text")
        XCTAssertEqual(Set(reading.finishes), ["STOP"], "STOP on every chunk does not stop the reading")
        XCTAssertGreaterThan(reading.finishes.count, 3)
        XCTAssertEqual(reading.usage?["totalTokenCount"], .number(JSONNumber("59")!))
        XCTAssertEqual(try read("gemini-array.json", .gemini), reading, "the SSE format reads the array too")
    }

    func testGeminiFunctionCallArgumentsArriveWhole() throws {
        assertJSONEqual(try read("gemini-function-call.sse", .gemini, .toolArguments(named: "save_plan")).text, document)
        assertJSONEqual(try read("gemini-function-call.sse", .gemini, .toolArguments()).text, #"{"city": "Paris"}"#)
        XCTAssertEqual(try read("gemini-function-call.sse", .gemini).text, "Saving.")
    }

    // MARK: - Whole responses

    func testWholeResponses() throws {
        for (name, format) in [("gemini-whole.json", StreamFormat.gemini), ("openai-whole.json", .openai),
                               ("anthropic-whole.json", .anthropic), ("openai-responses-whole.json", .openaiResponses),
                               ("ollama-whole.json", .ndjson)] {
            let reading = try read(name, format)
            XCTAssertEqual(reading.text, document, name)
            XCTAssertEqual(reading.finishes.map { FinishReason(rawValue: $0).kind }, [.complete], name)
            XCTAssertNotNil(reading.usage, name)
        }
        assertJSONEqual(try read("openai-whole-tool.json", .openai, .toolArguments(named: "save_plan")).text, document)
        assertJSONEqual(try read("anthropic-whole-tool.json", .anthropic, .toolArguments()).text, document)
        assertJSONEqual(try read("ollama-tool.ndjson", .ndjson, .toolArguments(named: "save_plan")).text, document)
    }

    /// `.auto` without a Content-Type: a document that starts like a plan is the document.
    func testAutoReadsAPlainDocumentAsText() {
        for body in [document, "  [{\"day\": 1}]", "Here is your plan:\n```json\n{}\n```", "", "{\"metadata\""] {
            let reading = Self.read(Array(body.utf8), .auto, .text, contentType: nil, cuts: Array(1..<max(1, body.utf8.count)))
            XCTAssertEqual(reading.text, body)
        }
    }

    func testJSONBodyEndingInsideAValueIsMalformed() {
        let reading = Self.read(Array(#"[{"candidates": [{"content": {"parts": [{"text": "a"}]}}]}, {"cand"#.utf8),
                                .geminiJSON, .text, contentType: nil, cuts: [])
        XCTAssertEqual(reading.text, "a")
        XCTAssertEqual(reading.malformed.count, 1)
    }
}
