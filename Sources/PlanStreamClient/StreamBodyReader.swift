import IncrementalJSON

/// Turns a response body, in chunks, into the model's text and the provider's signals.
///
/// ```swift
/// var reader = StreamBodyReader(format: .gemini)
/// for signal in try reader.push(chunk) {
///     if case .text(let bytes) = signal { parser.push(bytes) }
/// }
/// ```
public struct StreamBodyReader: Sendable {
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
    /// Gemini: raw JSON lines after a 200 (an error written without `data:`), until they balance.
    private var strayJSON = ""
    private var strayDepth = 0
    /// Relay: whether the synthetic document has been opened, and how many days it holds.
    private var relayOpened = false
    private var relayDays = 0
    private var done = false

    public init(format: StreamFormat) {
        self.format = format
        if format == .gemini { sse.dispatchesIncompleteEventAtEnd = true }
    }

    /// Reads the next chunk of the body.
    public mutating func push(_ bytes: some Collection<UInt8>) -> [Signal] {
        switch format {
        case .text:
            return bytes.isEmpty ? [] : [.text(Array(bytes))]
        case .ndjson:
            return lines.push(bytes).flatMap { ndjsonLine($0) }
        case .gemini, .openai, .progress:
            do {
                return try sse.push(bytes).flatMap { sseOutput($0) }
            } catch {
                return [.malformed("\(error)")]
            }
        }
    }

    /// Ends the body.
    public mutating func finish() -> [Signal] {
        switch format {
        case .text:
            return []
        case .ndjson:
            return lines.finish().flatMap { ndjsonLine($0) }
        case .gemini, .openai, .progress:
            var signals = sse.finish().flatMap { sseOutput($0) }
            if !strayJSON.isEmpty { signals.append(.providerError(Self.error(fromJSON: strayJSON) ?? ProviderError(message: strayJSON))) }
            return signals
        }
    }

    // MARK: - Formats

    private mutating func sseOutput(_ output: ServerSentEventDecoder.Output) -> [Signal] {
        switch output {
        case .comment:
            return []
        case .unknownField(let line):
            guard format == .gemini else { return [] }
            // Gemini appends a raw multi-line JSON error after a 200, without `data:`.
            strayJSON += line + "\n"
            strayDepth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            guard strayDepth <= 0 else { return [] }
            defer { strayJSON = ""; strayDepth = 0 }
            return [.providerError(Self.error(fromJSON: strayJSON) ?? ProviderError(message: strayJSON))]
        case .event(let event):
            do {
                switch format {
                case .gemini: return try gemini(event.data)
                case .openai: return try openai(event.data)
                default: return try relay(event.data)
                }
            } catch {
                return [.malformed("event data is not JSON: \(error)")]
            }
        }
    }

    private func gemini(_ data: String) throws -> [Signal] {
        let value = try JSONValue(parsing: data)
        if let error = Self.error(from: value) { return [.providerError(error)] }
        var signals: [Signal] = []
        let candidate = value["candidates"]?[0]
        for part in candidate?["content"]?["parts"]?.arrayValue ?? [] where part["thought"]?.boolValue != true {
            if let text = part["text"]?.stringValue, !text.isEmpty { signals.append(.text(Array(text.utf8))) }
        }
        if let reason = candidate?["finishReason"]?.stringValue { signals.append(.finished(FinishReason(rawValue: reason))) }
        if let usage = value["usageMetadata"], usage != .null { signals.append(.usage(usage)) }
        if candidate == nil, let blocked = value["promptFeedback"]?["blockReason"]?.stringValue {
            let message = value["promptFeedback"]?["blockReasonMessage"]?.stringValue ?? "prompt blocked"
            signals.append(.providerError(ProviderError(message: message, code: blocked)))
        }
        return signals
    }

    private mutating func openai(_ data: String) throws -> [Signal] {
        if data.hasPrefix("[DONE]") {
            done = true
            return []
        }
        let value = try JSONValue(parsing: data)
        if let error = Self.error(from: value) { return [.providerError(error)] }
        var signals: [Signal] = []
        let choice = value["choices"]?[0]
        if let text = choice?["delta"]?["content"]?.stringValue, !text.isEmpty { signals.append(.text(Array(text.utf8))) }
        if let reason = choice?["finish_reason"]?.stringValue { signals.append(.finished(FinishReason(rawValue: reason))) }
        if let usage = value["usage"], usage != .null { signals.append(.usage(usage)) }
        return signals
    }

    private func ndjsonLine(_ line: String) -> [Signal] {
        guard !line.allSatisfy(\.isWhitespace) else { return [] }
        guard let value = try? JSONValue(parsing: line) else { return [.malformed("line is not JSON: \(line.prefix(200))")] }
        if let error = Self.error(from: value) { return [.providerError(error)] }
        var signals: [Signal] = []
        if let text = value["response"]?.stringValue ?? value["message"]?["content"]?.stringValue, !text.isEmpty {
            signals.append(.text(Array(text.utf8)))
        }
        if value["done"]?.boolValue == true {
            signals.append(.finished(FinishReason(rawValue: value["done_reason"]?.stringValue ?? "stop")))
            var counts: [String: JSONValue] = [:]
            for key in ["prompt_eval_count", "eval_count", "total_duration"] { counts[key] = value[key] }
            if !counts.isEmpty { signals.append(.usage(.object(counts))) }
        }
        return signals
    }

    /// The relay protocol, turned back into one document `{"metadata": …, "days": [ … ]}` so that
    /// the plan parser sees what it would have seen from the model.
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

/// Splits bytes into lines at LF (a CR before it is dropped), whatever the chunking.
struct LineSplitter: Sendable {
    private var pending: [UInt8] = []

    mutating func push(_ bytes: some Collection<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == 0x0A {
                if pending.last == 0x0D { pending.removeLast() }
                lines.append(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
        return lines
    }

    mutating func finish() -> [String] {
        defer { pending.removeAll() }
        return pending.isEmpty ? [] : [String(decoding: pending, as: UTF8.self)]
    }
}
