import IncrementalJSON

/// Turns a response body, in chunks, into the model's text and the provider's signals.
///
/// ```swift
/// var reader = StreamBodyReader(format: .gemini)
/// for signal in try reader.push(chunk) {
///     if case .text(let bytes) = signal { parser.push(bytes) }
/// }
/// ```
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
        /// The provider's token counts so far (Gemini `usageMetadata`, OpenAI `usage`, Ollama's
        /// final counts), as it sent them; cumulative, so the last one counts.
        case usage(JSONValue)
        /// A payload that does not follow the format (not JSON, an overlong line). It comes in
        /// order, after the signals before it, whatever the chunking.
        case malformed(String)
    }

    public let format: StreamFormat
    private var sse = ServerSentEventDecoder()
    private var lines = LineSplitter()
    /// Reads each payload with one parser for the whole body.
    private var payloads = PayloadScanner()
    /// Gemini: raw JSON lines after a 200 (an error written without `data:`), until they balance.
    private var strayJSON = ""
    private var strayDepth = 0
    /// Relay: whether the synthetic document has been opened, and how many days it holds.
    private var relayOpened = false
    private var relayDays = 0

    public init(format: StreamFormat) {
        self.format = format
        if format == .gemini { sse.dispatchesIncompleteEventAtEnd = true }
    }

    /// Reads the next chunk of the body. Cost: the chunk's bytes, and the payloads it completes,
    /// each read token by token without building a tree.
    public mutating func push(_ bytes: some Collection<UInt8>) -> [Signal] {
        var signals: [Signal] = []
        switch format {
        case .text:
            if !bytes.isEmpty { signals.append(.text(Array(bytes))) }
        case .ndjson:
            var splitter = LineSplitter()
            swap(&splitter, &lines)
            splitter.push(bytes) { ndjsonLine($0, into: &signals) }
            swap(&splitter, &lines)
        case .gemini, .openai, .progress:
            var decoder = ServerSentEventDecoder()
            swap(&decoder, &sse)
            do {
                try decoder.scan(bytes) { sseOutput($0, into: &signals) }
            } catch {
                signals.append(.malformed("\(error)"))
            }
            swap(&decoder, &sse)
        }
        return signals
    }

    /// Ends the body.
    public mutating func finish() -> [Signal] {
        var signals: [Signal] = []
        switch format {
        case .text:
            break
        case .ndjson:
            var splitter = LineSplitter()
            swap(&splitter, &lines)
            splitter.finish { ndjsonLine($0, into: &signals) }
        case .gemini, .openai, .progress:
            var decoder = ServerSentEventDecoder()
            swap(&decoder, &sse)
            decoder.finish { sseOutput($0, into: &signals) }
            if !strayJSON.isEmpty {
                signals.append(.providerError(Self.error(fromJSON: strayJSON) ?? ProviderError(message: strayJSON)))
            }
        }
        return signals
    }

    // MARK: - Formats

    private mutating func sseOutput(_ piece: ServerSentEventDecoder.Piece, into signals: inout [Signal]) {
        switch piece {
        case .comment:
            return
        case .unknownField(let line):
            guard format == .gemini else { return }
            // Gemini appends a raw multi-line JSON error after a 200, without `data:`.
            strayJSON += line + "\n"
            strayDepth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            guard strayDepth <= 0 else { return }
            defer { strayJSON = ""; strayDepth = 0 }
            signals.append(.providerError(Self.error(fromJSON: strayJSON) ?? ProviderError(message: strayJSON)))
        case .event(_, let data, _, _):
            do {
                try readPayload(data, into: &signals)
            } catch {
                signals.append(.malformed("event data is not JSON: \(error)"))
            }
        }
    }

    /// Reads one payload in the body's format. A payload whose strings are not valid UTF-8 is read
    /// again, whole, with U+FFFD in their place, as the event stream standard decodes it. Each
    /// format's reader appends its signals only once its payload was read to the end, so a failed
    /// first attempt leaves nothing behind.
    private mutating func readPayload(_ payload: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        do {
            try readPayloadOnce(payload, into: &signals)
        } catch {
            let repaired = Array(String(decoding: payload, as: UTF8.self).utf8)
            guard !repaired.elementsEqual(payload) else { throw error }
            try readPayloadOnce(repaired[...], into: &signals)
        }
    }

    private mutating func readPayloadOnce(_ payload: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        switch format {
        case .gemini: try gemini(payload, into: &signals)
        case .openai: try openai(payload, into: &signals)
        case .ndjson: try ndjson(payload, into: &signals)
        case .progress, .text:
            do {
                try relay(String(decoding: payload, as: UTF8.self), into: &signals)
            } catch {
                throw PayloadScanner.Malformed(description: "\(error)")
            }
        }
    }

    /// Gemini: text in `candidates[0].content.parts[*].text` (not `thought` parts), the finish
    /// reason, token counts, a blocked prompt, an error object.
    private mutating func gemini(_ data: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        var texts: [Signal] = []
        var partText: String?
        var partIsThought = false
        var finish: String?
        var usage: JSONValue?
        var error: JSONValue?
        var hasCandidate = false
        var blockReason: String?
        var blockMessage: String?
        try payloads.scan(data) { visit in
            let kind = visit.token.kind
            let isStart = kind == .objectStart || kind == .arrayStart
            if visit.depth == 1 {
                if visit.is(Paths.usageMetadata), !isStart { usage = visit.value }
                if visit.is(Paths.error), !isStart { error = visit.value }
            } else if visit.starts(with: Paths.firstCandidate) {
                if visit.depth == 2 { hasCandidate = true }
                if visit.depth == 5, visit.starts(with: Paths.firstCandidateParts) {
                    if kind == .objectStart {
                        partText = nil
                        partIsThought = false
                    } else if kind == .objectEnd {
                        if let text = partText, !partIsThought, !text.isEmpty { texts.append(.text(Array(text.utf8))) }
                    }
                } else if visit.depth == 6, visit.starts(with: Paths.firstCandidateParts) {
                    if visit.lastStep(is: Paths.text) { partText = visit.text }
                    if visit.lastStep(is: Paths.thought) { partIsThought = kind == .true }
                } else if visit.is(Paths.firstCandidateFinishReason) {
                    finish = visit.text
                }
            } else if visit.is(Paths.promptFeedbackBlockReason) {
                blockReason = visit.text
            } else if visit.is(Paths.promptFeedbackBlockReasonMessage) {
                blockMessage = visit.text
            }
        }
        if let error, let providerError = Self.error(from: .object(["error": error])) {
            signals.append(.providerError(providerError))
            return
        }
        signals += texts
        if let finish { signals.append(.finished(FinishReason(rawValue: finish))) }
        if let usage, usage != .null { signals.append(.usage(usage)) }
        if !hasCandidate, let blockReason {
            signals.append(.providerError(ProviderError(message: blockMessage ?? "prompt blocked", code: blockReason)))
        }
    }

    /// OpenAI-style chat: text in `choices[0].delta.content`, the finish reason, token counts,
    /// an error object; `[DONE]` ends the stream.
    private mutating func openai(_ data: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        if data.starts(with: Self.done) { return }
        var text: String?
        var finish: String?
        var usage: JSONValue?
        var error: JSONValue?
        try payloads.scan(data) { visit in
            switch visit.depth {
            case 1:
                let isStart = visit.token.kind == .objectStart || visit.token.kind == .arrayStart
                if visit.is(Paths.usage), !isStart { usage = visit.value }
                if visit.is(Paths.error), !isStart { error = visit.value }
            case 3:
                if visit.is(Paths.firstChoiceFinishReason) { finish = visit.text }
            case 4:
                if visit.is(Paths.firstChoiceContent) { text = visit.text }
            default:
                break
            }
        }
        if let error, let providerError = Self.error(from: .object(["error": error])) {
            signals.append(.providerError(providerError))
            return
        }
        if let text, !text.isEmpty { signals.append(.text(Array(text.utf8))) }
        if let finish { signals.append(.finished(FinishReason(rawValue: finish))) }
        if let usage, usage != .null { signals.append(.usage(usage)) }
    }

    private static let done = Array("[DONE]".utf8)


    /// Ollama's NDJSON: text in `response` (generate) or `message.content` (chat), `done` with
    /// `done_reason` and token counts, an error object.
    private mutating func ndjsonLine(_ line: ArraySlice<UInt8>, into signals: inout [Signal]) {
        guard line.contains(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) else { return }
        do {
            try readPayload(line, into: &signals)
        } catch {
            signals.append(.malformed("line is not JSON: \(String(decoding: line.prefix(200), as: UTF8.self))"))
        }
    }

    private mutating func ndjson(_ line: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        var response: String?
        var content: String?
        var done = false
        var doneReason: String?
        var counts: [String: JSONValue] = [:]
        var error: JSONValue?
        try payloads.scan(line) { visit in
            let isStart = visit.token.kind == .objectStart || visit.token.kind == .arrayStart
            guard visit.depth == 1 else {
                if visit.is(Paths.messageContent) { content = visit.text }
                return
            }
            if visit.is(Paths.response) {
                response = visit.text
            } else if visit.is(Paths.done) {
                done = visit.token.kind == .true
            } else if visit.is(Paths.doneReason) {
                doneReason = visit.text
            } else if visit.is(Paths.error) {
                if !isStart { error = visit.value }
            } else {
                for (key, step) in Paths.counts where visit.is(step) { counts[key] = visit.value }
            }
        }
        if let error, let providerError = Self.error(from: .object(["error": error])) {
            signals.append(.providerError(providerError))
            return
        }
        if let text = response ?? content, !text.isEmpty { signals.append(.text(Array(text.utf8))) }
        if done {
            signals.append(.finished(FinishReason(rawValue: doneReason ?? "stop")))
            if !counts.isEmpty { signals.append(.usage(.object(counts))) }
        }
    }

    /// The relay protocol, turned back into one document `{"metadata": …, "days": [ … ]}` so that
    /// the plan parser sees what it would have seen from the model.
    private mutating func relay(_ data: String, into signals: inout [Signal]) throws {
        signals += try relay(data)
    }

    private mutating func relay(_ data: String) throws -> [Signal] {
        // Days pass through as they arrived, so a lenient source's trailing commas may be in them.
        var options = JSONParserOptions()
        options.allowsTrailingCommas = true
        let value = try JSONValue(parsing: data, options: options)
        func raw(_ key: String) -> String? { RelayEncoder.rawMember(key, in: data) }
        switch value["type"]?.stringValue {
        case "status":
            return [.status(value["message"]?.stringValue ?? "")]
        case "metadata":
            guard !relayOpened, let metadata = raw("metadata") else { return [] }
            relayOpened = true
            return [.text(Array(("{\"metadata\": " + metadata + ", \"days\": [").utf8))]
        case "day_complete":
            guard let day = raw("data") else { return [] }
            var text = relayOpened ? "" : "{\"days\": ["
            relayOpened = true
            if relayDays > 0 { text += ", " }
            relayDays += 1
            return [.text(Array((text + day).utf8))]
        case "complete":
            if relayOpened { return [.text(Array("]}".utf8)), .finished(FinishReason(rawValue: "stop"))] }
            guard let plan = raw("plan") else { return [.finished(FinishReason(rawValue: "stop"))] }
            return [.text(Array(plan.utf8)), .finished(FinishReason(rawValue: "stop"))]
        case "partial":
            return [.finished(FinishReason(rawValue: value["reason"]?.stringValue ?? "partial"))]
        case "error":
            return [.providerError(ProviderError(message: value["message"]?.stringValue ?? data))]
        default:
            return []
        }
    }

    /// A provider error object: `{"error": {"code": 429, "message": …, "status": …}}` or `{"error": "…"}`.
    static func error(from value: JSONValue) -> ProviderError? {
        guard let error = value["error"] else { return nil }
        if let message = error.stringValue { return ProviderError(message: message) }
        let message = error["message"]?.stringValue ?? error.serialized()
        let code = error["status"]?.stringValue ?? error["code"].map { $0.stringValue ?? $0.serialized() }
        return ProviderError(message: message, code: code)
    }

    static func error(fromJSON text: String) -> ProviderError? {
        (try? JSONValue(parsing: text, options: .llm)).flatMap { error(from: $0) }
    }
}

/// The paths the payload readers look for, made once.
private enum Paths {
    typealias Step = PayloadScanner.Step
    static let usageMetadata: [Step] = ["usageMetadata"]
    static let error: [Step] = ["error"]
    static let firstCandidate: [Step] = ["candidates", 0]
    static let firstCandidateParts: [Step] = ["candidates", 0, "content", "parts"]
    static let firstCandidateFinishReason: [Step] = ["candidates", 0, "finishReason"]
    static let promptFeedbackBlockReason: [Step] = ["promptFeedback", "blockReason"]
    static let promptFeedbackBlockReasonMessage: [Step] = ["promptFeedback", "blockReasonMessage"]
    static let usage: [Step] = ["usage"]
    static let firstChoiceFinishReason: [Step] = ["choices", 0, "finish_reason"]
    static let firstChoiceContent: [Step] = ["choices", 0, "delta", "content"]
    static let messageContent: [Step] = ["message", "content"]
    static let response: [Step] = ["response"]
    static let done: [Step] = ["done"]
    static let doneReason: [Step] = ["done_reason"]
    static let text: Step = "text"
    static let thought: Step = "thought"
    static let counts: [(String, [Step])] = ["prompt_eval_count", "eval_count", "total_duration"].map { ($0, [Step(stringLiteral: $0)]) }
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
            guard chunk[index] == 0x0A else {
                index += 1
                continue
            }
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
