/// A push decoder for `text/event-stream` bodies that follows the WHATWG rules exactly
/// (HTML §9.2.5 "Parsing an event stream", §9.2.6 "Interpreting an event stream"):
///
/// - lines end with CRLF, LF or CR — a CR at the end of one chunk and an LF at the start of the
///   next are one line end, and a line is handled at its CR without waiting for the next byte;
/// - one leading byte order mark is stripped, at the start of the stream only;
/// - `:` starts a comment; `field: value` loses one space after the colon; a line without a colon
///   is a field with an empty value;
/// - `data` lines join with line feeds; `event` sets the type; `id` sets the last event ID unless
///   it contains NUL, and persists; `retry` is taken only when it is all ASCII digits;
/// - a blank line dispatches, unless the data buffer is empty;
/// - at the end, an unterminated event is dropped (``dispatchesIncompleteEventAtEnd`` keeps it:
///   Gemini sometimes ends a stream without the final blank line).
///
/// Any chunking gives the same output; every byte is examined once.
///
/// ```swift
/// var decoder = ServerSentEventDecoder()
/// for output in try decoder.feed(chunk) {
///     if case .event(let event) = output { print(event.data) }
/// }
/// ```
public struct ServerSentEventDecoder: Sendable {
    /// What the decoder reports.
    public enum Output: Sendable, Hashable {
        case event(ServerSentEvent)
        /// A comment line (a keep-alive, usually), without its colon.
        case comment(String)
        /// A field the standard does not know, as its whole line. The standard ignores these;
        /// an adapter may not (Gemini writes a raw JSON error mid-stream without `data:`).
        case unknownField(line: String)
    }

    /// A line longer than ``maximumLineLength``.
    public struct LineTooLong: Error, Sendable, Hashable, CustomStringConvertible {
        public var limit: Int
        public var description: String { "server-sent event line longer than \(limit) bytes" }
    }

    /// Dispatch an event that the stream ends without its blank line. Default `false` (the standard).
    public var dispatchesIncompleteEventAtEnd = false
    /// The longest line accepted, in bytes. Default 16 MiB.
    public var maximumLineLength = 16 << 20

    private var line: [UInt8] = []
    private var lastWasCR = false
    private var isFirstLine = true
    /// The data buffer as bytes: decoded to a string only when an event is reported as one.
    private var data: [UInt8] = []
    private var eventType: [UInt8] = []
    /// The last event ID the stream set (`id:`); it persists across events and reconnections.
    private(set) var lastEventID = ""
    /// The reconnection time the stream asked for (`retry:`), in milliseconds.
    private(set) var retry: Int?

    public init() {}

    /// Decodes the next chunk of the body. Cost: the chunk's bytes, examined once; a line that
    /// arrives whole is read in place.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(LineTooLong) -> [Output] {
        var outputs: [Output] = []
        try scan(bytes) { outputs.append($0.output) }
        return outputs
    }

    /// Ends the stream: with ``dispatchesIncompleteEventAtEnd``, the unterminated event.
    public mutating func finish() -> [Output] {
        var outputs: [Output] = []
        finish { outputs.append($0.output) }
        return outputs
    }

    // MARK: - Without strings

    /// What the decoder found, with an event's data as the bytes it arrived as: a reader that
    /// parses the data as JSON never makes a string of it.
    enum Piece {
        case event(type: ArraySlice<UInt8>, data: ArraySlice<UInt8>, lastEventID: String, retry: Int?)
        case comment(String)
        case unknownField(line: String)

        var output: Output {
            switch self {
            case .event(let type, let data, let lastEventID, let retry):
                // Invalid UTF-8 becomes U+FFFD, as the standard's UTF-8 decode does.
                return .event(ServerSentEvent(type: type.isEmpty ? "message" : String(decoding: type, as: UTF8.self),
                                              data: String(decoding: data, as: UTF8.self),
                                              lastEventID: lastEventID, retry: retry))
            case .comment(let text): return .comment(text)
            case .unknownField(let line): return .unknownField(line: line)
            }
        }
    }

    /// Decodes the next chunk and hands each piece to `sink`, in order.
    mutating func scan(_ bytes: some Collection<UInt8>, _ sink: (Piece) -> Void) throws(LineTooLong) {
        var failure: LineTooLong?
        let body = { (buffer: UnsafeBufferPointer<UInt8>) in
            do throws(LineTooLong) { try self.scan(buffer, sink) } catch { failure = error }
        }
        if bytes.withContiguousStorageIfAvailable(body) == nil { Array(bytes).withUnsafeBufferPointer(body) }
        if let failure { throw failure }
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ sink: (Piece) -> Void) throws(LineTooLong) {
        var start = 0
        var index = 0
        let end = bytes.count
        while index < end {
            let lineBreak = ByteSearch.first(0x0A, or: 0x0D, in: bytes, from: index)
            if lineBreak > index { lastWasCR = false }
            index = lineBreak
            guard index < end else { break }
            let byte = bytes[index]
            if byte == 0x0A && lastWasCR {
                // The LF of a CRLF split across chunks, or right after the CR in this chunk.
                lastWasCR = false
                index += 1
                start = index
                continue
            }
            if line.isEmpty {
                // The whole line is in this chunk: read it where it is.
                try checkLength(index - start)
                handleLine(UnsafeBufferPointer(rebasing: bytes[start..<index]), sink)
            } else {
                line.append(contentsOf: bytes[start..<index])
                try checkLength(line.count)
                let carried = line
                carried.withUnsafeBufferPointer { handleLine($0, sink) }
                line.removeAll(keepingCapacity: true)
            }
            lastWasCR = byte == 0x0D
            index += 1
            start = index
        }
        line.append(contentsOf: bytes[start..<end])
        try checkLength(line.count)
    }

    /// Ends the stream, handing the unterminated event to `sink` when asked to.
    mutating func finish(_ sink: (Piece) -> Void) {
        if dispatchesIncompleteEventAtEnd {
            if !line.isEmpty {
                let carried = line
                carried.withUnsafeBufferPointer { handleLine($0, sink) }
            }
            dispatch(sink)
        }
        line.removeAll()
        data.removeAll()
        eventType.removeAll()
    }

    /// A reconnection: what the old connection left half-read (a line, an event's data) is
    /// dropped; the last event ID and the reconnection time stay (HTML §9.2.3).
    mutating func resetConnection() {
        line.removeAll()
        data.removeAll()
        eventType.removeAll()
        lastWasCR = false
        isFirstLine = true
    }

    private func checkLength(_ count: Int) throws(LineTooLong) {
        if count > maximumLineLength { throw LineTooLong(limit: maximumLineLength) }
    }

    private mutating func handleLine(_ line: UnsafeBufferPointer<UInt8>, _ sink: (Piece) -> Void) {
        var bytes = line[...]
        if isFirstLine {
            isFirstLine = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        guard !bytes.isEmpty else {
            dispatch(sink)
            return
        }
        let name: Slice<UnsafeBufferPointer<UInt8>>
        var value: Slice<UnsafeBufferPointer<UInt8>>
        if let colon = bytes.firstIndex(of: 0x3A) {
            name = bytes[..<colon]
            value = bytes[(colon + 1)...]
            if value.first == 0x20 { value = value.dropFirst() }
        } else {
            name = bytes
            value = bytes[bytes.endIndex...]
        }
        if name.isEmpty {
            sink(.comment(String(decoding: value, as: UTF8.self)))
        } else if Self.is(name, Self.dataField) {
            data.append(contentsOf: value)
            data.append(0x0A)
        } else if Self.is(name, Self.eventField) {
            eventType.removeAll(keepingCapacity: true)
            eventType.append(contentsOf: value)
        } else if Self.is(name, Self.idField) {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if Self.is(name, Self.retryField) {
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
               let milliseconds = Int(String(decoding: value, as: UTF8.self)) {
                retry = milliseconds
            }
        } else {
            sink(.unknownField(line: String(decoding: bytes, as: UTF8.self)))
        }
    }

    private static let dataField = Array("data".utf8)
    private static let eventField = Array("event".utf8)
    private static let idField = Array("id".utf8)
    private static let retryField = Array("retry".utf8)

    /// Whether a field's name is `field`: bytes compared in place (a `String`'s UTF-8 view, compared
    /// generically, cost ~250 instructions per line).
    private static func `is`(_ name: Slice<UnsafeBufferPointer<UInt8>>, _ field: [UInt8]) -> Bool {
        guard name.count == field.count else { return false }
        var i = name.startIndex
        for byte in field {
            guard name[i] == byte else { return false }
            i += 1
        }
        return true
    }

    private mutating func dispatch(_ sink: (Piece) -> Void) {
        defer {
            data.removeAll(keepingCapacity: true)
            eventType.removeAll(keepingCapacity: true)
        }
        // "If the data buffer is an empty string": a `data` line always adds at least a LF.
        guard !data.isEmpty else { return }
        sink(.event(type: eventType[...], data: data[..<(data.count - 1)], lastEventID: lastEventID, retry: retry))
    }
}
