/// Reads an HTTP/1.1 response as it arrives, whatever the chunking: the head, then the body
/// without its framing (chunked, `Content-Length`, or until the connection closes). For the
/// socket transport (``SocketByteStream``); one byte at a time outside the body's data, which is
/// copied in runs.
///
/// ```swift
/// var parser = HTTPResponseParser()
/// var body: [UInt8] = []
/// try parser.parse(received, body: &body)      // each read; `body` gains the body's bytes
/// let status = parser.head?.status              // once the head arrived
/// try parser.endOfInput()                       // at the end of the connection
/// ```
package struct HTTPResponseParser {
    /// The status and headers of a response.
    package struct Head: Equatable {
        package var status: Int
        package var headers: [Header]

        package struct Header: Equatable {
            package var name: String
            package var value: String
        }

        /// The value of the header `name` (compared without case), the last one if repeated.
        package func value(for name: String) -> String? {
            headers.last { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// A response that does not follow HTTP/1.1, or a connection that ended early.
    package struct ProtocolError: Error, CustomStringConvertible {
        package var description: String
    }

    private enum State {
        case head
        case chunkSize(value: Int, digits: Int)
        case chunkExtension(size: Int)
        case chunkSizeLineFeed(size: Int)
        case chunkData(remaining: Int)
        case chunkDataCarriageReturn
        case chunkDataLineFeed
        case trailerLineStart
        case trailerLine
        case finalLineFeed
        case length(remaining: Int)
        case untilClose
        case done
    }

    /// The response's head, once it arrived (an interim `1xx` head is skipped).
    package private(set) var head: Head?
    private var state = State.head
    private var headBytes: [UInt8] = []
    private let isHeadRequest: Bool
    private static let maximumHeadLength = 64 << 10

    /// - Parameter isHeadRequest: the request was `HEAD`: the response has no body.
    package init(isHeadRequest: Bool = false) {
        self.isHeadRequest = isHeadRequest
    }

    /// Whether the body ended (the last chunk, `Content-Length` bytes, or a response without one).
    package var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Reads the next bytes of the response, appending its body's bytes to `body`.
    package mutating func parse(_ bytes: UnsafeRawBufferPointer, body: inout [UInt8]) throws(ProtocolError) {
        var index = 0
        while index < bytes.count {
            switch state {
            case .head:
                // Up to the blank line that ends the head.
                let byte = bytes[index]
                index += 1
                headBytes.append(byte)
                guard headBytes.count <= Self.maximumHeadLength else {
                    throw ProtocolError(description: "a response head longer than \(Self.maximumHeadLength) bytes")
                }
                guard byte == 0x0A, headBytes.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) else { continue }
                let parsed = try Self.head(headBytes)
                headBytes.removeAll()
                if (100..<200).contains(parsed.status) {
                    guard parsed.status != 101 else { throw ProtocolError(description: "a protocol switch (101) was not asked for") }
                    continue   // 100 Continue, 103 Early Hints: the real head follows
                }
                head = parsed
                state = try Self.bodyState(for: parsed, isHeadRequest: isHeadRequest)
            case .chunkSize(let value, let digits):
                let byte = bytes[index]
                index += 1
                if let digit = Self.hexValue(byte) {
                    guard digits < 15 else { throw ProtocolError(description: "a chunk size too large") }
                    state = .chunkSize(value: value << 4 | digit, digits: digits + 1)
                } else if digits > 0 && (byte == UInt8(ascii: ";") || byte == 0x20 || byte == 0x09) {
                    state = .chunkExtension(size: value)
                } else if digits > 0 && byte == 0x0D {
                    state = .chunkSizeLineFeed(size: value)
                } else {
                    throw ProtocolError(description: "an invalid chunk size line")
                }
            case .chunkExtension(let size):
                let byte = bytes[index]
                index += 1
                if byte == 0x0D {
                    state = .chunkSizeLineFeed(size: size)
                } else if byte == 0x0A {
                    throw ProtocolError(description: "a bare line feed in a chunk size line")
                }
            case .chunkSizeLineFeed(let size):
                guard bytes[index] == 0x0A else { throw ProtocolError(description: "a chunk size line without its line feed") }
                index += 1
                state = size == 0 ? .trailerLineStart : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let left = Self.take(remaining, of: bytes, at: &index, into: &body)
                state = left == 0 ? .chunkDataCarriageReturn : .chunkData(remaining: left)
            case .chunkDataCarriageReturn:
                guard bytes[index] == 0x0D else { throw ProtocolError(description: "a chunk longer than its size") }
                index += 1
                state = .chunkDataLineFeed
            case .chunkDataLineFeed:
                guard bytes[index] == 0x0A else { throw ProtocolError(description: "a chunk without its line feed") }
                index += 1
                state = .chunkSize(value: 0, digits: 0)
            case .trailerLineStart:
                let byte = bytes[index]
                index += 1
                state = byte == 0x0D ? .finalLineFeed : byte == 0x0A ? .done : .trailerLine
            case .trailerLine:
                let byte = bytes[index]
                index += 1
                if byte == 0x0A { state = .trailerLineStart }
            case .finalLineFeed:
                guard bytes[index] == 0x0A else { throw ProtocolError(description: "a chunked body without its final line feed") }
                index += 1
                state = .done
            case .length(let remaining):
                let left = Self.take(remaining, of: bytes, at: &index, into: &body)
                state = left == 0 ? .done : .length(remaining: left)
            case .untilClose:
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index...]))
                index = bytes.count
            case .done:
                // Bytes after the response (the connection was asked to close): not this response's.
                index = bytes.count
            }
        }
    }

    /// Copies up to `remaining` body bytes from `index` on; returns how many remain to come.
    private static func take(_ remaining: Int, of bytes: UnsafeRawBufferPointer, at index: inout Int,
                             into body: inout [UInt8]) -> Int {
        let count = min(remaining, bytes.count - index)
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
        index += count
        return remaining - count
    }

    /// The connection closed: throws unless that ends the response.
    package func endOfInput() throws(ProtocolError) {
        switch state {
        case .done, .untilClose:
            return
        case .head:
            throw ProtocolError(description: "the connection closed before the response head")
        default:
            throw ProtocolError(description: "the connection closed before the end of the body")
        }
    }

    private static func head(_ bytes: [UInt8]) throws(ProtocolError) -> Head {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).makeIterator()
        guard let statusLine = lines.next(), statusLine.hasPrefix("HTTP/1."),
              let code = statusLine.split(separator: " ", maxSplits: 2).dropFirst().first,
              code.count == 3, let status = Int(code)
        else { throw ProtocolError(description: "not an HTTP/1.x response") }
        var headers: [Head.Header] = []
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw ProtocolError(description: "an invalid header line")
            }
            headers.append(Head.Header(name: String(line[..<colon]), value: String(line[line.index(after: colon)...].trimmingSpaces)))
        }
        return Head(status: status, headers: headers)
    }

    private static func bodyState(for head: Head, isHeadRequest: Bool) throws(ProtocolError) -> State {
        if isHeadRequest || head.status == 204 || head.status == 304 { return .done }
        if let coding = head.value(for: "Content-Encoding"), coding.lowercased() != "identity" {
            throw ProtocolError(description: "a \(coding) body, which this transport does not decode (use .urlSession)")
        }
        if let encoding = head.value(for: "Transfer-Encoding") {
            let last = encoding.split(separator: ",").last?.trimmingSpaces.lowercased()
            return last == "chunked" ? .chunkSize(value: 0, digits: 0) : .untilClose
        }
        if let length = head.value(for: "Content-Length") {
            guard let count = Int(length), count >= 0 else { throw ProtocolError(description: "an invalid Content-Length") }
            return count == 0 ? .done : .length(remaining: count)
        }
        return .untilClose
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
