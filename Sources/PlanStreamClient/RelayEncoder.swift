import IncrementalJSON
import PlanStream

/// The server side of the relay protocol: turns plan events into the Server-Sent Event lines a
/// browser or app reads (``StreamFormat/progress`` on the client) — the seed's status, progress,
/// day_complete, complete and error messages, plus metadata, partial, and day_progress (the day
/// being written, from `daySnapshot` events — throttle them with the parser's `SnapshotPolicy`).
///
/// ```swift
/// var relay = RelayEncoder()
/// send(relay.status("Starting generation..."))
/// for event in try parser.feed(chunk) {
///     if let lines = relay.encode(event) { send(lines) }
/// }
/// ```
///
/// Days and metadata are relayed as the JSON bytes that arrived, never re-encoded, so fields the
/// typed models do not know survive — less the trailing commas a lenient parse accepted
/// (`RawJSON`), so every `data:` is strict JSON.
///
/// Every event carries an `id:` line, numbered from 1 in the order encoded. A client that loses
/// the connection (``PlanStreamClient``, a browser's `EventSource`) reconnects with that number in
/// `Last-Event-ID`; a server that keeps the lines it sent — or can encode them again — resumes by
/// sending the events whose id is greater. A server that cannot resume answers a request with
/// `Last-Event-ID` with a non-2xx status: the client then ends with the partial plan it has.
public struct RelayEncoder: Sendable {
    private var expectedDays: Int?
    /// The id of the last event encoded.
    public private(set) var lastEventID = 0

    public init() {}

    /// `id: N`, `data: {"type":"status","message":…}` and a blank line.
    public mutating func status(_ message: String) -> String {
        line(#"{"type":"status","message":\#(quoted(message))}"#)
    }

    /// `id: N`, `data: {"type":"error","message":…}` and a blank line.
    public mutating func error(_ message: String) -> String {
        line(#"{"type":"error","message":\#(quoted(message))}"#)
    }

    /// The lines for a plan event, or `nil` for events the protocol does not carry (`dayStarted`,
    /// `metadataSnapshot`). Days and metadata go out as the JSON the event carries.
    ///
    /// Cost: O(the JSON it writes) — a day, a snapshot, or at the end the plan.
    public mutating func encode<Metadata, Day>(_ event: PlanEvent<Metadata, Day>) -> String? {
        switch event {
        case .metadataReady(_, let raw), .metadataFailed(_, let raw):
            return line(#"{"type":"metadata","metadata":\#(raw.text)}"#)
        case .dayCompleted(let index, _, let raw), .dayFailed(let index, _, let raw):
            let total = expectedDays.map(String.init) ?? "null"
            return line(#"{"type":"day_complete","day":\#(index + 1),"total":\#(total),"data":\#(raw.text)}"#)
        case .progress(let progress):
            expectedDays = progress.expectedDays ?? expectedDays
            let expected = progress.expectedDays.map(String.init) ?? "null"
            return line(#"{"type":"progress","bytes":\#(progress.bytesReceived),"daysCompleted":\#(progress.daysCompleted),"expectedDays":\#(expected)}"#)
        case .completed(let plan):
            return line(#"{"type":"complete","days":\#(plan.days.count + plan.failedDays.count),"plan":\#(plan.json)}"#)
        case .partial(let partial):
            let plan = partial.json ?? "null"
            return line(#"{"type":"partial","days":\#(partial.nextDayIndex),"nextDay":\#(partial.nextDayIndex + 1),"plan":\#(plan)}"#)
        case .daySnapshot(let index, let partial):
            // The day so far, for a live preview: the parser's SnapshotPolicy throttles these.
            return line(#"{"type":"day_progress","day":\#(index + 1),"data":\#(partial.value.serialized())}"#)
        case .dayStarted, .metadataSnapshot:
            return nil
        }
    }

    private mutating func line(_ json: String) -> String {
        lastEventID += 1
        // A pretty-printed document has line breaks between its tokens (never in its strings,
        // which escape them): each one — LF, CR or CRLF, all of which end an event stream's line —
        // starts another `data:` line, which the reader joins back with a line feed. (Swift reads
        // CRLF as one Character: splitting at "\n" alone left it inside a line, which the reader
        // then ended early.) U+2028 and the other Unicode line breaks are text here, not breaks.
        let data = json.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map { "data: " + $0 }.joined(separator: "\n")
        return "id: \(lastEventID)\n" + data + "\n\n"
    }

    private func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }

    /// The raw JSON text of the top-level member `key` of the object `json`, or `nil`.
    static func rawMember(_ key: String, in json: String) -> String? {
        var options = JSONParserOptions()
        options.allowsTrailingCommas = true
        let matcher = JSONMatcher(patterns: [JSONPathPattern(components: [.key(key)])], options: options)
        matcher.push(json)
        matcher.endInput()
        while let match = try? matcher.nextMatch() {
            if match.phase == .completed {
                return matcher.withUnsafeRawBytes(of: match) { String(decoding: $0, as: UTF8.self) }
            }
        }
        return nil
    }
}
