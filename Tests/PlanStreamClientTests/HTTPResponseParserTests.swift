import XCTest
import TestSupport
@testable import PlanStreamClient

/// The socket transport's response reader: the same head and body whatever the reads, every body
/// framing, and a clear error for each way a response can be wrong or cut.
final class HTTPResponseParserTests: XCTestCase {
    struct Reading: Equatable {
        var status: Int?
        var contentType: String?
        var body: String
        var isComplete: Bool
        var error: String?
    }

    func read(_ response: String, at cuts: [Int] = [], isHeadRequest: Bool = false, closes: Bool = true) -> Reading {
        var parser = HTTPResponseParser(isHeadRequest: isHeadRequest)
        var reading = Reading(body: "", isComplete: false)
        var body: [UInt8] = []
        do {
            for chunk in chunks(of: Array(response.utf8), at: cuts) {
                try chunk.withUnsafeBytes { try parser.parse($0, body: &body) }
            }
            if closes { try parser.endOfInput() }
        } catch {
            reading.error = "\(error)"
        }
        reading.status = parser.head?.status
        reading.contentType = parser.head?.value(for: "content-type")
        reading.body = String(decoding: body, as: UTF8.self)
        reading.isComplete = parser.isComplete
        return reading
    }

    /// Every split, and byte by byte, reads the same as the whole response.
    func verify(_ response: String, isHeadRequest: Bool = false, closes: Bool = true,
                file: StaticString = #filePath, line: UInt = #line) -> Reading {
        SplitVerifier.verify(Array(response.utf8), [.everyTwoWaySplit, .byteByByte], file: file, line: line) { cuts in
            read(response, at: cuts, isHeadRequest: isHeadRequest, closes: closes)
        }
    }

    func testChunkedWithExtensionsAndTrailers() {
        let response = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "6\r\ndata: \r\n19;name=value\r\n{\"a\": 1, \"b\": [2, 3, 4]}\n\r\n" + "A \r\n\n\n0123456\n\r\n"
            + "0\r\nX-Trailer: yes\r\n\r\n" + "HTTP/1.1 200 after the end: not this response's"
        let reading = verify(response, closes: false)
        XCTAssertEqual(reading, Reading(status: 200, contentType: "text/event-stream",
                                        body: "data: {\"a\": 1, \"b\": [2, 3, 4]}\n\n\n0123456\n", isComplete: true))
    }

    func testContentLengthUntilCloseAndNoBody() {
        XCTAssertEqual(verify("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more"),
                       Reading(status: 200, body: "hello", isComplete: true))
        XCTAssertEqual(verify("HTTP/1.0 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n{\"a\":1}\n{\"b\":2}\n"),
                       Reading(status: 200, contentType: "application/x-ndjson", body: "{\"a\":1}\n{\"b\":2}\n", isComplete: false))
        XCTAssertEqual(verify("HTTP/1.1 204 No Content\r\n\r\n"), Reading(status: 204, body: "", isComplete: true))
        XCTAssertEqual(verify("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", isHeadRequest: true),
                       Reading(status: 200, body: "", isComplete: true))
        // Transfer-Encoding wins over Content-Length.
        XCTAssertEqual(verify("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").body, "abc")
    }

    func testInterimResponsesAreSkipped() {
        let response = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 4\r\n\r\nslow"
        XCTAssertEqual(verify(response), Reading(status: 429, body: "slow", isComplete: true))
    }

    func testMalformedAndCutResponses() {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        let cases: [(String, String)] = [
            (chunked + "zz\r\n", "an invalid chunk size line"),
            (chunked + "\r\n", "an invalid chunk size line"),
            (chunked + "3\r\nabcd\r\n", "a chunk longer than its size"),
            (chunked + "3\nabc", "an invalid chunk size line"),
            (chunked + "1000000000000000\r\n", "a chunk size too large"),
            (chunked + "5\r\nab", "the connection closed before the end of the body"),
            (chunked + "2\r\nab\r\n", "the connection closed before the end of the body"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "the connection closed before the end of the body"),
            ("HTTP/1.1 200 OK\r\nContent-Len", "the connection closed before the response head"),
            ("", "the connection closed before the response head"),
            ("SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x response"),
            ("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "an invalid header line"),
            ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "an invalid Content-Length"),
            ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", "a gzip body, which this transport does not decode (use .urlSession)"),
            ("HTTP/1.1 101 Switching Protocols\r\n\r\n", "a protocol switch (101) was not asked for"),
        ]
        for (response, error) in cases {
            XCTAssertEqual(verify(response).error, error, response)
        }
        let long = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Padding: 0123456789\r\n", count: 3000)
        XCTAssertEqual(read(long).error, "a response head longer than 65536 bytes")
    }
}
