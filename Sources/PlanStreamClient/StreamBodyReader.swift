import IncrementalJSON

/// Turns a response body, in chunks, into the document's text and the provider's signals.
///
/// ```swift
/// var reader = StreamBodyReader(format: .anthropic, document: .toolArguments(named: "save_plan"))
/// for signal in reader.feed(chunk) {
///     if case .text(let bytes) = signal { parser.push(bytes) }
/// }
/// ```
///
/// The body's framing comes from `contentType` when it is known (`text/event-stream`,
/// `application/x-ndjson`, `application/json`), otherwise from its first bytes: a body that opens
/// with `{` or `[` is read as whole JSON values (a non-streaming response, a buffering proxy,
/// Gemini's streamed array). With ``StreamFormat/auto`` the provider is recognised from the first
/// payload; a body that is neither an event stream nor a provider's JSON is the document itself.
///
/// It reads payloads with a parser it keeps for the whole body, so it is not `Sendable`: use it
/// from one task, as the client does.
public struct StreamBodyReader {
    /// What the body said.
    public enum Signal: Sendable, Hashable {
        /// Document text, as UTF-8 bytes (a chunk may end inside a character).
        case text([UInt8])
        /// The provider's finish reason.
        case finished(FinishReason)
        /// An error payload in the stream.
        case providerError(ProviderError)
        /// A relay's status message (``StreamFormat/progress``).
        case status(String)
        /// The provider's token counts so far (Gemini `usageMetadata`, OpenAI `usage`, Anthropic
        /// `usage`, Ollama's final counts), as it sent them; cumulative, so the last one counts.
        case usage(JSONValue)
        /// Text of the model's refusal (OpenAI `refusal`): never document text.
        case refusal(String)
        /// A payload that does not follow the format (not JSON, an overlong line). It comes in
        /// order, after the signals before it, whatever the chunking.
        case malformed(String)
    }

    public let format: StreamFormat
    public let document: DocumentSource

    /// How the body is cut into payloads.
    enum Framing {
        /// Not known yet: the first bytes decide.
        case sniffing
        case text
        case serverSentEvents
        case lines
        case jsonValues
    }

    /// Whose payloads these are.
    enum Provider {
        case gemini, openAIChat, openAIResponses, anthropic, ollama, relay
    }

    private(set) var framing: Framing
    /// `nil` until the first payload shows it (``StreamFormat/auto``).
    private(set) var provider: Provider?
    /// Bytes held while ``Framing/sniffing``.
    private var sniffed: [UInt8] = []
    private var sse = ServerSentEventDecoder()
    private var lines = LineSplitter()
    private var values = JSONValueSplitter()
    /// Reads each payload with one parser for the whole body.
    var payloads = PayloadScanner()
    /// Whether a payload with the shape of the one before it (text and ids changed, nothing else)
    /// is read without a scan (OpenAI chat, Anthropic, Ollama). Off only to test that it changes nothing.
    package var readsPayloadShapes = true
    /// How many payloads were read by their shape.
    package private(set) var payloadsReadByShape = 0
    /// The text of the last payload read by its shape.
    private var replayedText: [UInt8] = []
    /// Gemini: raw JSON lines after a 200 (an error written without `data:`), until they balance.
    private var strayJSON = ""
    private var strayDepth = 0
    /// The tool call whose arguments are the document, once seen.
    var tools = ToolSelection()
    /// Relay: whether the synthetic document has been opened, and how many days it holds.
    var relayOpened = false
    var relayDays = 0
    /// OpenAI Responses: the last `sequence_number` read; an event at or below it is a repeat.
    var lastSequenceNumber = -1

    /// - Parameters:
    ///   - format: the provider's format, or ``StreamFormat/auto``.
    ///   - document: the text (default) or a tool call's arguments.
    ///   - contentType: the response's `Content-Type`, when known.
    public init(format: StreamFormat, document: DocumentSource = .text, contentType: String? = nil) {
        self.format = format
        self.document = document
        let media = contentType?.split(separator: ";").first?.trimmingSpaces.lowercased()
        switch (format, media) {
        case (.text, _): framing = .text
        case (_, "application/json"?): framing = .jsonValues
        case (.ndjson, _), (_, "application/x-ndjson"?), (_, "application/ndjson"?), (_, "application/jsonl"?):
            framing = .lines
        case (_, "text/event-stream"?): framing = .serverSentEvents
        case (.auto, "text/plain"?): framing = .text
        default: framing = .sniffing
        }
        switch format {
        case .gemini, .geminiJSON: provider = .gemini
        case .openai: provider = .openAIChat
        case .openaiResponses: provider = .openAIResponses
        case .anthropic: provider = .anthropic
        case .ndjson: provider = .ollama
        case .progress: provider = .relay
        case .auto, .text: provider = nil
        }
        // Gemini sometimes ends a stream without the final blank line.
        sse.dispatchesIncompleteEventAtEnd = format == .gemini || format == .auto
    }

    /// Reads the next chunk of the body. Cost: the chunk's bytes, and the payloads it completes,
    /// each read token by token without building a tree — or, for an OpenAI chat, Anthropic or
    /// Ollama payload that differs from the one before only in its text and in strings no reader
    /// reads (an id, a timestamp), compared with that one's bytes instead: the same signals,
    /// without the scan.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Signal] {
        var signals: [Signal] = []
        feed(bytes, into: &signals)
        return signals
    }

    /// Reads the next chunk of the body, appending its signals to `signals` (a caller that reads
    /// many chunks reuses one array).
    package mutating func feed(_ bytes: some Collection<UInt8>, into signals: inout [Signal]) {
        if case .sniffing = framing {
            sniffed.append(contentsOf: bytes)
            guard let decided = sniff(sniffed, isComplete: false) else { return }
            framing = decided
            let held = sniffed
            sniffed = []
            read(held, into: &signals)
        } else {
            read(bytes, into: &signals)
        }
    }

    /// Ends the body.
    public mutating func finish() -> [Signal] {
        var signals: [Signal] = []
        if case .sniffing = framing {
            framing = sniff(sniffed, isComplete: true) ?? .text
            let held = sniffed
            sniffed = []
            read(held, into: &signals)
        }
        switch framing {
        case .sniffing, .text:
            break
        case .lines:
            var splitter = LineSplitter()
            swap(&splitter, &lines)
            splitter.finish { line($0, into: &signals) }
        case .jsonValues:
            if !values.endedCleanly {
                signals.append(.malformed("the body ended inside a JSON value"))
            }
        case .serverSentEvents:
            var decoder = ServerSentEventDecoder()
            swap(&decoder, &sse)
            decoder.finish { sseOutput($0, into: &signals) }
            if !strayJSON.isEmpty {
                signals.append(.providerError(Self.error(fromJSON: strayJSON) ?? ProviderError(message: strayJSON)))
            }
        }
        return signals
    }

    /// The last event ID the server sent (`id:`), for a reconnection's `Last-Event-ID`.
    var lastEventID: String { sse.lastEventID }

    /// The reconnection delay the server asked for (`retry:`), in milliseconds.
    var retry: Int? { sse.retry }

    /// A new connection continues the body: a line or event cut by the old one is dropped; the
    /// last event ID, and everything read, stay.
    mutating func reconnected() {
        sse.resetConnection()
    }

    // MARK: - Framing

    private mutating func read(_ bytes: some Collection<UInt8>, into signals: inout [Signal]) {
        switch framing {
        case .sniffing:
            break
        case .text:
            if !bytes.isEmpty { signals.append(.text(Array(bytes))) }
        case .lines:
            var splitter = LineSplitter()
            swap(&splitter, &lines)
            splitter.push(bytes) { line($0, into: &signals) }
            swap(&splitter, &lines)
        case .jsonValues:
            var splitter = JSONValueSplitter()
            swap(&splitter, &values)
            do {
                try splitter.push(bytes) { value, isElement in
                    if isElement, provider == nil { provider = .gemini }
                    payload(value, eventType: nil, into: &signals)
                }
            } catch {
                signals.append(.malformed("\(error)"))
            }
            swap(&splitter, &values)
        case .serverSentEvents:
            var decoder = ServerSentEventDecoder()
            swap(&decoder, &sse)
            do {
                try decoder.scan(bytes) { sseOutput($0, into: &signals) }
            } catch {
                signals.append(.malformed("\(error)"))
            }
            swap(&decoder, &sse)
        }
    }

    /// Decides the framing from the first bytes, or `nil` to wait for more.
    private func sniff(_ bytes: [UInt8], isComplete: Bool) -> Framing? {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, bytes[start] == 0x20 || (0x09...0x0D).contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return isComplete ? .text : nil }
        let first = bytes[start]
        guard format == .auto else {
            return first == 0x7B || first == 0x5B ? .jsonValues : .serverSentEvents
        }
        if first == 0x7B || first == 0x5B {
            // A provider's JSON starts with one of its envelope keys; a document does not.
            // Looked for in the first 4 KiB only, so that the chunking cannot change the answer.
            let limit = 4096
            switch Self.firstKey(bytes[start..<min(bytes.count, start + limit)]) {
            case .found(let key): return Self.envelopeKeys.contains(key) ? .jsonValues : .text
            case .none: return .text
            case .needMore: return isComplete || bytes.count - start >= limit ? .text : nil
            }
        }
        let head = bytes[start...].prefix(7)
        for field in Self.eventStreamFields where head.starts(with: field) { return .serverSentEvents }
        return head.count == 7 || isComplete ? .text : nil
    }

    private static let eventStreamFields = ["data:", "event:", "id:", "retry:", ":"].map { Array($0.utf8) }

    /// First keys of provider responses and stream payloads.
    private static let envelopeKeys: Set<String> = [
        "candidates", "promptFeedback", "usageMetadata", "modelVersion", "responseId",
        "choices", "id", "object", "type", "model", "created", "created_at", "error",
        "response", "message", "output", "content", "role", "done", "status",
    ]

    private enum FirstKey {
        case found(String)
        case none
        case needMore
    }

    /// The first key of the first object in `bytes` (an object, or an array of them).
    private static func firstKey(_ bytes: ArraySlice<UInt8>) -> FirstKey {
        var index = bytes.startIndex
        func skipSpace() { while index < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }
        if bytes[index] == 0x5B {
            index += 1
            skipSpace()
            guard index < bytes.endIndex else { return .needMore }
            guard bytes[index] == 0x7B else { return .none }
        }
        index += 1
        skipSpace()
        guard index < bytes.endIndex else { return .needMore }
        guard bytes[index] == 0x22 else { return .none }
        index += 1
        let keyStart = index
        while index < bytes.endIndex, bytes[index] != 0x22 {
            if bytes[index] == 0x5C { return .none }   // no envelope key is escaped
            index += 1
        }
        guard index < bytes.endIndex else { return .needMore }
        return .found(String(decoding: bytes[keyStart..<index], as: UTF8.self))
    }

    // MARK: - Payloads

    private mutating func sseOutput(_ piece: ServerSentEventDecoder.Piece, into signals: inout [Signal]) {
        switch piece {
        case .comment:
            return
        case .unknownField(let line):
            guard provider == .gemini || provider == nil else { return }
            // Gemini appends a raw multi-line JSON error after a 200, without `data:`.
            strayJSON += line + "\n"
            strayDepth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            guard strayDepth <= 0 else { return }
            defer { strayJSON = ""; strayDepth = 0 }
            signals.append(.providerError(Self.error(fromJSON: strayJSON) ?? ProviderError(message: strayJSON)))
        case .event(let type, let data, _, _):
            payload(data, eventType: type, into: &signals)
        }
    }

    private mutating func line(_ line: ArraySlice<UInt8>, into signals: inout [Signal]) {
        guard line.contains(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) else { return }
        payload(line, eventType: nil, into: &signals)
    }

    /// Reads one payload with its provider's reader (recognising the provider first, when the
    /// format is ``StreamFormat/auto``).
    private mutating func payload(_ data: ArraySlice<UInt8>, eventType: ArraySlice<UInt8>?, into signals: inout [Signal]) {
        do {
            if provider == nil {
                provider = try detectProvider(data, eventType: eventType)
            }
            guard let provider else {
                // Not recognisable: an error object still says what went wrong.
                if let error = try genericError(data) { signals.append(.providerError(error)) }
                return
            }
            try readPayload(data, provider: provider, eventType: eventType, into: &signals)
        } catch {
            signals.append(.malformed("payload is not JSON: \(error) — \(String(decoding: data.prefix(200), as: UTF8.self))"))
        }
    }

    /// Reads one payload. A payload whose strings are not valid UTF-8 is read again, whole, with
    /// U+FFFD in their place, as the event stream standard decodes it. Each reader appends its
    /// signals only once its payload was read to the end, so a failed first attempt leaves nothing
    /// behind.
    private mutating func readPayload(_ data: ArraySlice<UInt8>, provider: Provider, eventType: ArraySlice<UInt8>?,
                                      into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        do {
            try readPayloadOnce(data, provider: provider, eventType: eventType, into: &signals)
        } catch {
            let repaired = Array(String(decoding: data, as: UTF8.self).utf8)
            guard !repaired.elementsEqual(data) else { throw error }
            try readPayloadOnce(repaired[...], provider: provider, eventType: eventType, into: &signals)
        }
    }

    private mutating func readPayloadOnce(_ data: ArraySlice<UInt8>, provider: Provider, eventType: ArraySlice<UInt8>?,
                                          into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        switch provider {
        case .gemini: try gemini(data, into: &signals)
        case .openAIChat: try openAIChat(data, into: &signals)
        case .openAIResponses: try openAIResponses(data, into: &signals)
        case .anthropic: try anthropic(data, eventType: eventType, into: &signals)
        case .ollama: try ollama(data, into: &signals)
        case .relay: try relay(data, into: &signals)
        }
    }

    /// Reads `payload` (of SSE event type `eventType`) as the payload of the shape kept before, if
    /// it is one: appends its text and returns `true`; `false` when it is to be read in full.
    mutating func readReplayingShape(_ payload: ArraySlice<UInt8>, eventType: ArraySlice<UInt8>? = nil,
                                     into signals: inout [Signal]) -> Bool {
        guard readsPayloadShapes, payloads.replayText(of: payload, eventType: eventType, into: &replayedText) else { return false }
        // Shared with the signal; once the caller let go of it, the next text reuses the array.
        signals.append(.text(replayedText))
        payloadsReadByShape += 1
        return true
    }

    /// After `payload` was read in full: keeps its shape for the next payloads when all it gave
    /// (the signals from `first` on) is one text and it left the tool selection as it was.
    mutating func keepShape(of payload: ArraySlice<UInt8>, eventType: ArraySlice<UInt8>? = nil, signals: [Signal],
                            from first: Int, toolsBefore: ToolSelection) {
        guard signals.count == first + 1, case .text(let text) = signals[first], tools == toolsBefore else { return }
        payloads.keepShape(of: payload, eventType: eventType, text: text)
    }

    // MARK: - Errors

    /// A provider error object: `{"error": {"code": 429, "message": …, "status": …}}` or `{"error": "…"}`.
    static func error(from value: JSONValue) -> ProviderError? {
        guard let error = value["error"], error != .null else { return nil }
        if let message = error.stringValue { return ProviderError(message: message) }
        let message = error["message"]?.stringValue ?? error.serialized()
        let code = (error["status"] ?? error["type"])?.stringValue ?? error["code"].map { $0.stringValue ?? $0.serialized() }
        return ProviderError(message: message, code: code)
    }

    static func error(fromJSON text: String) -> ProviderError? {
        (try? JSONValue(parsing: text, options: .llm)).flatMap { error(from: $0) }
    }

    /// The top-level `error` member of a payload, as a provider error.
    private mutating func genericError(_ data: ArraySlice<UInt8>) throws(PayloadScanner.Malformed) -> ProviderError? {
        var error: JSONValue?
        try payloads.scan(data) { visit in
            if visit.depth == 1, visit.lastStep(is: .error), !visit.isStart { error = visit.value }
        }
        return error.flatMap { Self.error(from: .object(["error": $0])) }
    }
}

/// Which tool call carries the document: the first one the source accepts, by the provider's id
/// for it.
struct ToolSelection: Equatable {
    /// How a provider tells its tool calls apart.
    enum ID: Hashable {
        /// A call's `index`, a content block's `index`, a position in a whole response.
        case index(Int)
        /// A Responses API output item's `id`.
        case item(String)
    }

    private(set) var selected: ID?

    /// Takes the call `id` named `name` when none is taken yet and the source wants it.
    mutating func consider(id: ID, name: String?, for document: DocumentSource) {
        if selected == nil, document.accepts(toolNamed: name) { selected = id }
    }

    func isSelected(_ id: ID) -> Bool { selected == id }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}

/// Splits bytes into lines at LF (a CR before it is dropped), whatever the chunking. A line that
/// arrives whole in one chunk is handed on where it is, without a copy.
struct LineSplitter: Sendable {
    private var pending: [UInt8] = []

    mutating func push(_ bytes: some Collection<UInt8>, _ sink: (ArraySlice<UInt8>) -> Void) {
        let chunk = Array(bytes)
        var start = 0
        var index = 0
        while index < chunk.count {
            index = chunk.withUnsafeBufferPointer { ByteSearch.first(0x0A, in: $0, from: index) }
            guard index < chunk.count else { break }
            if pending.isEmpty {
                emit(chunk[start..<index], sink)
            } else {
                pending += chunk[start..<index]
                emit(pending[...], sink)
                pending.removeAll(keepingCapacity: true)
            }
            index += 1
            start = index
        }
        if start < chunk.count { pending += chunk[start...] }
    }

    private func emit(_ line: ArraySlice<UInt8>, _ sink: (ArraySlice<UInt8>) -> Void) {
        sink(line.last == 0x0D ? line.dropLast() : line)
    }

    mutating func finish(_ sink: (ArraySlice<UInt8>) -> Void) {
        defer { pending.removeAll() }
        if !pending.isEmpty { emit(pending[...], sink) }
    }
}

@available(*, unavailable)
extension StreamBodyReader: Sendable {}
