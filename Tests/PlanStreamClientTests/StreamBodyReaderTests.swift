import XCTest
import IncrementalJSON
@testable import PlanStreamClient

/// Each format's payload reader, on the shapes providers really send (PROTOCOLS.md §2–3).
final class StreamBodyReaderTests: XCTestCase {
    func read(_ body: String, _ format: StreamFormat) -> [StreamBodyReader.Signal] {
        // Every split gives the same text (in any pieces) and the same other signals.
        let bytes = Array(body.utf8)
        return SplitVerifier.verify(bytes, [.everyTwoWaySplit]) { cuts in
            var reader = StreamBodyReader(format: format)
            let signals = chunks(of: bytes, at: cuts).flatMap { reader.feed($0) } + reader.finish()
            var text: [UInt8] = []
            var other: [StreamBodyReader.Signal] = []
            for signal in signals {
                if case .text(let bytes) = signal { text += bytes } else { other.append(signal) }
            }
            return (text.isEmpty ? [] : [.text(text)]) + other
        }
    }

    func text(_ signals: [StreamBodyReader.Signal]) -> String {
        signals.compactMap { if case .text(let bytes) = $0 { return String(decoding: bytes, as: UTF8.self) } else { return nil } }.joined()
    }

    /// Invalid UTF-8 in a payload decodes as U+FFFD (the event stream standard), and the text read
    /// before the bad byte is not delivered twice.
    func testInvalidUTF8InAPayloadIsReplacedOnce() {
        var body = Array(#"data: {"candidates": [{"content": {"parts": [{"text": "ab"}, {"text": "c"#.utf8)
        body += [0xFF] + Array(#""}]}}]}"#.utf8) + Array("\n\n".utf8)
        let signals = read(String(decoding: body, as: UTF8.self), .gemini)
        XCTAssertEqual(text(signals), "abc\u{FFFD}")
        var reader = StreamBodyReader(format: .gemini)
        let raw = reader.feed(body) + reader.finish()
        XCTAssertEqual(text(raw), "abc\u{FFFD}", "the raw bytes, not a string already repaired")
    }

    func testGeminiTextThoughtsUsageAndFinish() {
        let body = """
            data: {"candidates": [{"content": {"parts": [{"text": "thinking…", "thought": true}], "role": "model"}, "index": 0}]}\r
            \r
            data: {"candidates": [{"content": {"parts": [{"text": "{\\"days\\": ["}, {"text": "1]}"}], "role": "model"}, "index": 0}], "usageMetadata": {"totalTokenCount": 7}}\r
            \r
            data: {"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS", "index": 0}], "usageMetadata": {"totalTokenCount": 17}}\r
            \r

            """
        let signals = read(body, .gemini)
        XCTAssertEqual(text(signals), #"{"days": [1]}"#, "thought parts are not document text")
        XCTAssertTrue(signals.contains(.finished(FinishReason(rawValue: "MAX_TOKENS"))))
        XCTAssertEqual(FinishReason(rawValue: "MAX_TOKENS").kind, .truncated)
        XCTAssertEqual(signals.last, .usage(.object(["totalTokenCount": .number(JSONNumber("17")!)])))
    }

    func testGeminiErrorsBlockedPromptsAndUnknownReasons() {
        let error = read("data: {\"error\": {\"code\": 429, \"message\": \"quota\", \"status\": \"RESOURCE_EXHAUSTED\"}}\n\n", .gemini)
        XCTAssertEqual(error, [.providerError(ProviderError(message: "quota", code: "RESOURCE_EXHAUSTED"))])
        let blocked = read(#"data: {"promptFeedback": {"blockReason": "SAFETY"}}"# + "\r\n", .gemini)
        XCTAssertEqual(blocked, [.providerError(ProviderError(message: "prompt blocked", code: "SAFETY"))],
                       "Gemini may end without the final blank line")
        let raw = read("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"[1\"}]}}]}\n\n{\n  \"error\": {\n    \"code\": 499,\n    \"message\": \"cancelled\",\n    \"status\": \"CANCELLED\"\n  }\n}\n", .gemini)
        XCTAssertEqual(raw, [.text(Array("[1".utf8)), .providerError(ProviderError(message: "cancelled", code: "CANCELLED"))])
        XCTAssertEqual(FinishReason(rawValue: "SOMETHING_NEW").kind, .stopped, "an open set")
        XCTAssertEqual(FinishReason(rawValue: "STOP").kind, .complete)
    }

    func testOpenAIDeltasLengthDoneAndErrors() {
        let body = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"content":"[1, "},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

            data: {"choices":[],"usage":{"total_tokens":44}}

            data: [DONE]


            """
        let signals = read(body, .openai)
        XCTAssertEqual(text(signals), "[1, ")
        XCTAssertTrue(signals.contains(.finished(FinishReason(rawValue: "length"))))
        XCTAssertTrue(signals.contains(.usage(.object(["total_tokens": .number(JSONNumber("44")!)]))))
        XCTAssertEqual(read("data: {\"error\": {\"message\": \"overloaded\", \"code\": 503}}\n\n", .openai),
                       [.providerError(ProviderError(message: "overloaded", code: "503"))])
        XCTAssertEqual(read("data: not json\n\n", .openai).count, 1)
        guard case .malformed? = read("data: not json\n\n", .openai).first else { return XCTFail() }
    }

    /// A payload whose choice is complete before the payload turns out malformed, or carries an
    /// error beside it, delivers none of the choice's signals: a payload counts whole or not at all.
    func testOpenAIChoiceOfABadPayloadIsNotDelivered() {
        let malformed = #"data: {"choices":[{"index":0,"delta":{"content":"lost"},"finish_reason":"stop"}], "x": tru}"#
        let signals = read("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"kept\"}}]}\n\n" + malformed + "\n\n", .openai)
        XCTAssertEqual(text(signals), "kept")
        XCTAssertEqual(signals.count, 2, "\(signals)")
        guard case .malformed? = signals.last else { return XCTFail("\(signals)") }
        let withError = #"data: {"choices":[{"index":0,"delta":{"content":"lost"}}],"error":{"message":"cut"}}"# + "\n\n"
        XCTAssertEqual(read(withError, .openai), [.providerError(ProviderError(message: "cut"))])
    }

    /// Payloads that repeat the shape of the one before (only the text and strings no reader
    /// reads change) are read by their shape, without a scan — and give exactly the signals the
    /// scan gives, whatever else changes: escapes, non-ASCII, a bad string, a changed number,
    /// literal, key, choice or event type, a refusal, a finish, an error, a cut or padded payload.
    func testPayloadsOfARepeatedShapeGiveWhatTheirScanGives() throws {
        let openAI = { (text: String, id: String, rest: String) in
            #"{"id":"\#(id)","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\#(text)}\#(rest)}],"obfuscation":"\#(id)"}"#
        }
        let openAIVariants = [
            openAI(#""ab""#, "c1", #","finish_reason":null"#),
            openAI(#""cd""#, "c2", #","finish_reason":null"#),                  // by shape
            openAI(#""e\"f\\g\n""#, "c123", #","finish_reason":null"#),         // by shape: simple escapes
            openAI(#""\u00e9""#, "c4", #","finish_reason":null"#),              // \u: scanned
            openAI(#""é€""#, "c5", #","finish_reason":null"#),                  // non-ASCII: by shape
            openAI(#""x""#, "c6", #","finish_reason":null"#),
            // Longer strings, read eight bytes at a time up to what is not plain.
            openAI(#""0123456789abcdef\"ghij""#, "c6-0123456789abcdef", #","finish_reason":null"#),      // by shape
            openAI("\"0123456789abcdefé\"", "c6-0123456789", #","finish_reason":null"#),                // by shape
            openAI(#""0123456789abcdefgh""#, "c6-0123456789\\u0041", #","finish_reason":null"#),       // scanned
            openAI("\"0123456789abcdef\u{1F}x\"", "c6-0123456789", #","finish_reason":null"#),         // malformed
            openAI(#""0123456789abcdefgh\/""#, "c6-0123456789", #","finish_reason":null"#),
            openAI(#""0123456789abcdefgh\/""#, "c6-0123456789abcdefghijklmnop", #","finish_reason":null"#), // by shape
            openAI(#""""#, "c7", #","finish_reason":null"#),                    // empty text: scanned
            openAI(#""y""#, "c8", #","finish_reason":"stop""#),                 // finish: scanned
            openAI(#""z""#, "c9", #","finish_reason":null"#),
            openAI(#""\x""#, "c10", #","finish_reason":null"#),                 // bad escape: malformed
            openAI("\"a\u{01}\"", "c11", #","finish_reason":null"#),            // control byte: malformed
            openAI(#""w""#, "c12", #","finish_reason":null"#),
            openAI(#""v""#, "c13", #","finish_reason":nul"#),                   // bad literal: malformed
            openAI(#""u""#, "c14", #","finish_reason":null,"refusal":"no""#),
            openAI(#""t""#, "c15", #","finish_reason":null"#),
            openAI(#""s""#, "c1\"", #","finish_reason":null"#),                 // an id that ends early: malformed
            openAI(#""r""#, "c16", #","finish_reason":null"#),
            #"{"id":"c17","object":"chat.completion.chunk","choices":[{"index":1,"delta":{"content":"q"},"finish_reason":null}],"obfuscation":"c17"}"#,
            openAI(#""p""#, "c18", #","finish_reason":null"#),
            openAI(#""o""#, "c19", #","finish_reason":null"#) + " ",           // padded: scanned
            String(openAI(#""n""#, "c20", #","finish_reason":null"#).dropLast()), // cut: malformed
            openAI(#""m""#, "c21", #","finish_reason":null"#),
            #"{"error":{"message":"overloaded","type":"server_error"}}"#,
            openAI(#""l""#, "c22", #","finish_reason":null"#),
            openAI(#""k""#, "c23", #","finish_reason":null"#),
        ]
        let ollama = { (text: String, time: String) in #"{"model":"m","created_at":"\#(time)","response":\#(text),"done":false}"# }
        let ollamaVariants = [
            ollama(#""a""#, "t1"), ollama(#""b""#, "t22"), ollama(#""c\td""#, "t333"), ollama(#""""#, "t4"),
            ollama(#""e""#, "t5"), #"{"model":"m","created_at":"t6","response":"f","done":true,"done_reason":"stop"}"#,
            ollama(#""g""#, "t7"), ollama(#""h""#, "t8"), ollama(#""i""#, "\u{00FF}"), ollama(#""j""#, "t\\u0041"),
            ollama("3", "t9"), ollama(#""k""#, "t10"), ollama(#""l""#, "t11"),
        ]
        // Anthropic: the event type and the strings read (`type`, `delta.type`) must stay as they are.
        let delta = { (type: String, text: String) in
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"\(type)\",\"text\":\(text)}}\n\n"
        }
        let anthropicBody = [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":9}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            delta("text_delta", #""ab""#), delta("text_delta", #""cd""#), delta("text_delta", #""e\"f""#),   // by shape
            delta("thinking_delta", #""gh""#),                                                             // scanned: no text
            delta("text_delta", #""text_delta""#),                       // scanned, and no shape kept: two strings could be the text
            delta("text_delta", #""ij""#), delta("text_delta", #""kl""#), delta("text_delta", #""mn""#),   // scanned, then by shape
            "event: error\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"op\"}}\n\n",
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
            delta("text_delta", #""qr""#), delta("text_delta", #""st""#),                                  // by shape
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":12}}\n\n",
        ].joined()
        let bodies: [(StreamFormat, String)] = [
            (.openai, openAIVariants.map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n"),
            (.ndjson, ollamaVariants.map { $0 + "\n" }.joined()),
            (.anthropic, anthropicBody),
        ]
        for (format, body) in bodies {
            for document in [DocumentSource.text, .toolArguments()] {
                var byShape = StreamBodyReader(format: format, document: document)
                var scanned = StreamBodyReader(format: format, document: document)
                scanned.readsPayloadShapes = false
                let signals = byShape.feed(Array(body.utf8)) + byShape.finish()
                XCTAssertEqual(signals, scanned.feed(Array(body.utf8)) + scanned.finish(), "\(format), \(document)")
                if format == .openai {
                    // A bad payload's error says where in the payload, whatever came before it.
                    XCTAssert(signals.contains { if case .malformed(let message) = $0 { message.contains("followed by 'x' at byte 88 of the payload") } else { false } },
                              "\(signals)")
                }
                XCTAssertEqual(scanned.payloadsReadByShape, 0)
                if document == .text {
                    XCTAssertGreaterThanOrEqual(byShape.payloadsReadByShape, format == .anthropic ? 3 : 4, "\(format)")
                }
            }
        }
        // A tool call's arguments, streamed: the call's first delta names it (the selection
        // changes: scanned), the next ones are read by their shape.
        let call = { (arguments: String) in
            #"data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":\#(arguments)}}]}}]}"# + "\n\n"
        }
        let named = #"data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"plan","arguments":""}}]}}]}"# + "\n\n"
        let body = named + call(#""{\"a""#) + call(#""\":1""#) + call(#""}""#)
        var reader = StreamBodyReader(format: .openai, document: .toolArguments())
        var scanned = StreamBodyReader(format: .openai, document: .toolArguments())
        scanned.readsPayloadShapes = false
        let signals = reader.feed(Array(body.utf8)) + reader.finish()
        XCTAssertEqual(signals, scanned.feed(Array(body.utf8)) + scanned.finish())
        XCTAssertEqual(text(signals), #"{"a":1}"#)
        XCTAssertEqual(reader.payloadsReadByShape, 2)
    }

    /// Text in any script is read by the payload's shape, its UTF-8 validated as the parser's
    /// string scan validates it; a payload with a sequence that is invalid — overlong, a
    /// surrogate, past U+10FFFF, a lone or missing continuation byte, one cut by the closing
    /// quote — is scanned, and gives what its scan gives.
    func testNonLatinTextIsReadByShapeAndInvalidUTF8IsScanned() {
        let texts: [[UInt8]] = [
            Array("ab".utf8), Array("日本".utf8), Array("語の計画、".utf8), Array("🙂 x".utf8), Array("é".utf8),
            Array("健康".utf8) + [0xE6, 0x97], [0xC0, 0x80], Array("한".utf8) + [0xED, 0xA0, 0x80], [0x80, 0x41],
            [0xF5, 0x80, 0x80, 0x80], [0xF0, 0x9F, 0x99], [0xE4, 0xB8, 0x41], Array("中文字".utf8), Array("ΩЖ".utf8),
        ]
        let openAI = { (text: [UInt8], id: Int) in
            Array(#"data: {"id":"c\#(id)","choices":[{"index":0,"delta":{"content":""#.utf8) + text + Array(#""},"finish_reason":null}]}"#.utf8) + Array("\n\n".utf8)
        }
        let ollama = { (text: [UInt8], id: Int) in
            Array(#"{"model":"m","created_at":"t\#(id)","response":""#.utf8) + text + Array(#"","done":false}"#.utf8) + [0x0A]
        }
        for (format, payload) in [(StreamFormat.openai, openAI), (.ndjson, ollama)] {
            let body = texts.enumerated().flatMap { payload($0.element, $0.offset) }
            var byShape = StreamBodyReader(format: format, document: .text)
            var scanned = StreamBodyReader(format: format, document: .text)
            scanned.readsPayloadShapes = false
            let signals = byShape.feed(body) + byShape.finish()
            XCTAssertEqual(signals, scanned.feed(body) + scanned.finish(), "\(format)")
            XCTAssert(text(signals).hasPrefix("ab日本語の計画、🙂 xé"), "\(format): \(text(signals))")
            // The first payload keeps the shape; the valid ones after it are read by it.
            XCTAssertGreaterThanOrEqual(byShape.payloadsReadByShape, 6, "\(format)")
        }
    }

    /// The JSON conformance suite's strings (``ConformanceSuite``; skipped when absent) as a
    /// model's text deltas, escapes, surrogates, control bytes and invalid UTF-8 as written: read by
    /// the payload's shape, they give what the scan gives, at every split; a valid one decodes to
    /// the string `JSONValue` reads.
    func testConformanceSuiteStringsAsDeltas() throws {
        let files = try ConformanceSuite.files("test_parsing").filter { $0.name.dropFirst(2).hasPrefix("string") }
        XCTAssertGreaterThanOrEqual(files.count, 94, "the suite is incomplete")
        let openAI = { (text: ArraySlice<UInt8>, id: Int) in
            Array(#"data: {"id":"c\#(id)","choices":[{"index":0,"delta":{"content":""#.utf8) + text + Array(#""},"finish_reason":null}]}"#.utf8) + Array("\n\n".utf8)
        }
        let ollama = { (text: ArraySlice<UInt8>, id: Int) in
            Array(#"{"model":"m","created_at":"t\#(id)","response":""#.utf8) + text + Array(#"","done":false}"#.utf8) + [0x0A]
        }
        var compared = 0
        for (name, bytes) in files {
            // The bytes between the file's first and last quote: the string's raw text.
            guard let first = bytes.firstIndex(of: UInt8(ascii: "\"")), let last = bytes.lastIndex(of: UInt8(ascii: "\"")),
                  first < last else { continue }
            let raw = bytes[(first + 1)..<last]
            let expected = name.hasPrefix("y_") ? (try JSONValue(parsing: bytes)).arrayValue?.first?.stringValue : nil
            for (format, payload) in [(StreamFormat.openai, openAI), (.ndjson, ollama)] {
                let body = payload(ArraySlice("ab".utf8), 0) + payload(raw, 1) + payload(ArraySlice("cd".utf8), 2)
                let signals = SplitVerifier.verify(body, [.everyTwoWaySplit], "\(name) \(format)") { cuts in
                    var byShape = StreamBodyReader(format: format, document: .text)
                    return chunks(of: body, at: cuts).flatMap { byShape.feed($0) } + byShape.finish()
                }
                var scanned = StreamBodyReader(format: format, document: .text)
                scanned.readsPayloadShapes = false
                XCTAssertEqual(text(signals), text(scanned.feed(body) + scanned.finish()), "\(name) \(format)")
                if let expected {
                    XCTAssertEqual(text(signals), "ab" + expected + "cd", "\(name) \(format)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 2 * 30)
    }

    /// An unread string that came back the same in the first payload read by shape (a model's
    /// name) is then compared as part of the shape's fixed bytes: when it changes after all, the
    /// payload is scanned and gives what its scan gives, and the shape is kept anew.
    func testAnUnreadStringThatChangesLateIsScanned() {
        let line = { (model: String, time: String, text: String) in
            #"{"model":"\#(model)","created_at":"\#(time)","response":"\#(text)","done":false}"# + "\n"
        }
        let body = [line("m", "t1", "a"), line("m", "t2", "b"), line("m", "t3", "c"), line("n", "t4", "d"),
                    line("n", "t5", "e"), line("n", "t6", "f"), line("m", "t7", "g")].joined()
        var byShape = StreamBodyReader(format: .ndjson, document: .text)
        var scanned = StreamBodyReader(format: .ndjson, document: .text)
        scanned.readsPayloadShapes = false
        let signals = byShape.feed(Array(body.utf8)) + byShape.finish()
        XCTAssertEqual(signals, scanned.feed(Array(body.utf8)) + scanned.finish())
        XCTAssertEqual(text(signals), "abcdefg")
        // b, c by the shape kept at a; d scanned (another model), e, f by its shape; g scanned.
        XCTAssertEqual(byShape.payloadsReadByShape, 4)
    }

    func testNDJSONGenerateChatDoneAndError() {
        let body = """
            {"model":"llama3","response":"{\\"a\\"","done":false}
            {"model":"llama3","message":{"role":"assistant","content":": 1}"},"done":false}
            {"model":"llama3","response":"","done":true,"done_reason":"length","eval_count":5}

            """
        let signals = read(body, .ndjson)
        XCTAssertEqual(text(signals), #"{"a": 1}"#)
        XCTAssertTrue(signals.contains(.finished(FinishReason(rawValue: "length"))))
        XCTAssertEqual(read("{\"error\":\"model not found\"}\n", .ndjson), [.providerError(ProviderError(message: "model not found"))])
    }

    func testRelayRebuildsTheDocument() {
        let body = """
            data: {"type":"status","message":"Starting"}

            data: {"type":"metadata","metadata":{"title":"T"}}

            data: {"type":"day_complete","day":1,"total":2,"data":{"day": 1, "extra": [true]}}

            data: {"type":"day_complete","day":2,"total":2,"data":{"day":2}}

            data: {"type":"complete","days":2,"plan":{}}


            """
        let signals = read(body, .progress)
        XCTAssertEqual(text(signals), #"{"metadata": {"title":"T"}, "days": [{"day": 1, "extra": [true]}, {"day":2}]}"#,
                       "days pass as the bytes that arrived")
        XCTAssertTrue(signals.contains(.status("Starting")))
        let lenient = read("data: {\"type\":\"day_complete\",\"day\":1,\"data\":{\"tips\": [\"a\",],}}\n\n", .progress)
        XCTAssertEqual(text(lenient), #"{"days": [{"tips": ["a",],}"#, "a lenient day passes through as it arrived")
        XCTAssertEqual(read("data: {\"type\":\"error\",\"message\":\"boom\"}\n\n", .progress), [.providerError(ProviderError(message: "boom"))])
    }

    func testTextPassesBytesThrough() {
        XCTAssertEqual(text(read("{\"é\": [1]}", .text)), "{\"é\": [1]}")
    }
}
