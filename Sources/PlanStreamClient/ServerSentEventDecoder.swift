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
/// for output in try decoder.push(chunk) {
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
    private var data = ""
    private var eventType = ""
    private var lastEventID = ""
    private var retry: Int?

    public init() {}

    /// Decodes the next chunk of the body.
    public mutating func push(_ bytes: some Collection<UInt8>) throws(LineTooLong) -> [Output] {
        var outputs: [Output] = []
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0A && lastWasCR {
                    // The LF of a CRLF split across chunks, or right after the CR in this chunk.
                    lastWasCR = false
                    bytes.formIndex(after: &index)
                    start = index
                    continue
                }
                line.append(contentsOf: bytes[start..<index])
                try checkLength()
                handleLine(&outputs)
                lastWasCR = byte == 0x0D
                bytes.formIndex(after: &index)
                start = index
                continue
            }
            lastWasCR = false
            bytes.formIndex(after: &index)
        }
        line.append(contentsOf: bytes[start..<index])
        try checkLength()
        return outputs
    }

    /// Ends the stream: an unterminated event is dropped, unless ``dispatchesIncompleteEventAtEnd``.
    public mutating func finish() -> [Output] {
        var outputs: [Output] = []
        if dispatchesIncompleteEventAtEnd {
            if !line.isEmpty { handleLine(&outputs) }
            dispatch(&outputs)
        }
        line.removeAll()
        data = ""
        eventType = ""
        return outputs
    }

    private func checkLength() throws(LineTooLong) {
        if line.count > maximumLineLength { throw LineTooLong(limit: maximumLineLength) }
    }

    private mutating func handleLine(_ outputs: inout [Output]) {
        defer { line.removeAll(keepingCapacity: true) }
        var bytes = line[...]
        if isFirstLine {
            isFirstLine = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        guard !bytes.isEmpty else {
            dispatch(&outputs)
            return
        }
        // Invalid UTF-8 becomes U+FFFD, as the standard's UTF-8 decode does.
        let text = String(decoding: bytes, as: UTF8.self)
        let name: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            name = text[...]
            value = ""
        }
        switch name {
        case "":
            outputs.append(.comment(String(value)))
        case "data":
            data += value
            data += "\n"
        case "event":
            eventType = String(value)
        case "id":
            if !value.contains("\u{0}") { lastEventID = String(value) }
        case "retry":
            if !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let milliseconds = Int(value) {
                retry = milliseconds
            }
        default:
            outputs.append(.unknownField(line: text))
        }
    }

    private mutating func dispatch(_ outputs: inout [Output]) {
        defer {
            data = ""
            eventType = ""
        }
        // "If the data buffer is an empty string": a `data` line always adds at least a LF.
        guard !data.isEmpty else { return }
        if data.hasSuffix("\n") { data.removeLast() }
        outputs.append(.event(ServerSentEvent(type: eventType.isEmpty ? "message" : eventType, data: data,
                                              lastEventID: lastEventID, retry: retry)))
    }
}
