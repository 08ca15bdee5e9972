import XCTest
@testable import PlanStreamClient

/// WHATWG event-stream rules, with vectors from web-platform-tests `eventsource/format-*`.
final class ServerSentEventDecoderTests: XCTestCase {
    /// Outputs for `text` at every 2-way split and byte by byte; fails if any chunking differs.
    func decode(_ text: String, lenientEnd: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> [ServerSentEventDecoder.Output] {
        decode(Array(text.utf8), lenientEnd: lenientEnd, file: file, line: line)
    }

    func decode(_ bytes: [UInt8], lenientEnd: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> [ServerSentEventDecoder.Output] {
        SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte], file: file, line: line) { cuts in
            var decoder = ServerSentEventDecoder()
            decoder.dispatchesIncompleteEventAtEnd = lenientEnd
            return chunks(of: bytes, at: cuts).flatMap { try! decoder.feed($0) } + decoder.finish()
        }
    }

    func events(_ outputs: [ServerSentEventDecoder.Output]) -> [ServerSentEvent] {
        outputs.compactMap { if case .event(let event) = $0 { return event } else { return nil } }
    }

    func testLineEndingsCRLFAndCR() {
        let expected = ["a", "b", "c", "d"]
        XCTAssertEqual(events(decode("data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n")).map(\.data), expected)
    }

    func testByteOrderMarkOnlyOnceAtTheStart() {
        XCTAssertEqual(events(decode([0xEF, 0xBB, 0xBF] + Array("data: 1\n\n".utf8))).map(\.data), ["1"])
        // A second BOM makes the first field "\u{FEFF}data": unknown, so no event (WPT format-bom-2).
        let double = decode([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("data: 1\n\ndata: 2\n\n".utf8))
        XCTAssertEqual(events(double).map(\.data), ["2"])
    }

    func testCommentsAndFieldsWithoutColon() {
        let outputs = decode(": keep-alive\n:\ndata\n\ndata\ndata\n\ndata:")
        XCTAssertEqual(outputs.filter { if case .comment = $0 { return true } else { return false } },
                       [.comment("keep-alive"), .comment("")])
        XCTAssertEqual(events(outputs).map(\.data), ["", "\n"], "the spec's own example: the last block is not dispatched")
    }

    func testOneSpaceAfterTheColon() {
        XCTAssertEqual(events(decode("data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\ndata: {\"a\":1}\n\n")).map(\.data),
                       ["x", "x", " x", "\tx", #"{"a":1}"#])
    }

    func testEventTypeIdAndRetry() {
        let outputs = decode("event: day\nid: 7\nretry: 2000\ndata: one\n\nretry: 1000x\nretry: +5\nretry: -1\nretry:  5\ndata: two\n\nid\ndata: three\n\nid: a\u{0}b\ndata: four\n\nevent: x\n\nid: 9\n\ndata: five\n\n")
        let received = events(outputs)
        XCTAssertEqual(received.map(\.type), ["day", "message", "message", "message", "message"])
        XCTAssertEqual(received.map(\.lastEventID), ["7", "7", "", "", "9"], "id persists, empty resets, NUL is ignored, id alone still counts")
        XCTAssertEqual(received.map(\.retry), [2000, 2000, 2000, 2000, 2000], "bogus retry values are ignored")
        XCTAssertEqual(received.map(\.data), ["one", "two", "three", "four", "five"])
        XCTAssertEqual(events(decode("retry: 0\ndata: x\n\n")).first?.retry, 0)
    }

    func testFieldNamesAreCaseSensitiveAndUnknownFieldsSurface() {
        let outputs = decode("Data: x\n\n{\n  \"error\": {\"code\": 499}\n}\ndata: y\n\n")
        XCTAssertEqual(events(outputs).map(\.data), ["y"])
        XCTAssertEqual(outputs.filter { if case .unknownField = $0 { return true } else { return false } }.count, 4)
    }

    func testEndOfStreamDropsTheUnterminatedEventUnlessAsked() {
        XCTAssertEqual(events(decode("data: test1\n\nid: test\ndata: test2")).map(\.data), ["test1"])
        XCTAssertEqual(events(decode("data: test1\n\ndata: test2\r\n", lenientEnd: true)).map(\.data), ["test1", "test2"])
    }

    func testInvalidUTF8BecomesReplacementCharacters() {
        XCTAssertEqual(events(decode(Array("data: a".utf8) + [0xFF, 0xC3] + Array("b\n\n".utf8))).map(\.data), ["a\u{FFFD}\u{FFFD}b"])
    }

    func testLineLimit() {
        var decoder = ServerSentEventDecoder()
        decoder.maximumLineLength = 10
        XCTAssertThrowsError(try decoder.feed(Array("data: 12345678901".utf8)))
    }

    func testLongLineInSmallChunksIsLinear() throws {
        var decoder = ServerSentEventDecoder()
        let payload = String(repeating: "x", count: 1 << 20)
        let bytes = Array(("data: " + payload + "\n\n").utf8)
        var outputs: [ServerSentEventDecoder.Output] = []
        for start in stride(from: 0, to: bytes.count, by: 16) {
            outputs += try decoder.feed(bytes[start..<min(start + 16, bytes.count)])
        }
        XCTAssertEqual(events(outputs).first?.data.count, 1 << 20)
    }
}
