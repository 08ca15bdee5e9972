import IncrementalJSON

extension StreamBodyReader {
    /// Ollama's NDJSON (or a whole `stream: false` response): text in `response` (generate) or
    /// `message.content` (chat) — never `thinking`; a `message.tool_calls[*].function` call's
    /// `arguments` (an object, whole) when the document is a tool call; `done` with `done_reason`
    /// and token counts; an error object.
    mutating func ollama(_ line: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        if readReplayingShape(line, into: &signals) { return }
        let before = signals.count
        let toolsBefore = tools
        var text: [UInt8]?
        var done = false
        var doneReason: String?
        var counts = JSONObject()
        var error: JSONValue?
        var calls: [(name: String?, arguments: [UInt8]?)] = []
        try payloads.scan(line) { visit in
            switch visit.depth {
            case 1:
                if visit.is(OllamaPaths.response) {
                    text = visit.textUTF8
                } else if visit.is(OllamaPaths.done) {
                    done = visit.token.kind == .true
                } else if visit.is(OllamaPaths.doneReason) {
                    doneReason = visit.text
                } else if visit.lastStep(is: .error) {
                    if !visit.isStart { error = visit.value }
                } else {
                    for (key, step) in OllamaPaths.counts where visit.is(step) { counts[key] = visit.value }
                }
            case 2:
                if visit.is(OllamaPaths.messageContent) { text = visit.textUTF8 }
            case 3 where visit.starts(with: OllamaPaths.toolCall):
                if visit.token.kind == .objectStart { calls.append((nil, nil)) }
            case 5 where visit.starts(with: OllamaPaths.toolCallFunction):
                if visit.lastStep(is: .name) { calls[calls.count - 1].name = visit.text }
                if visit.lastStep(is: .arguments), !visit.isStart { calls[calls.count - 1].arguments = visit.rawBytes }
            default:
                break
            }
        }
        if let error, let providerError = Self.error(from: .object(["error": error])) {
            signals.append(.providerError(providerError))
            return
        }
        if document.readsToolArguments {
            for call in calls where tools.selected == nil {
                tools.consider(id: .index(0), name: call.name, for: document)
                if tools.selected != nil, let arguments = call.arguments { signals.append(.text(arguments)) }
            }
        } else if let text, !text.isEmpty {
            signals.append(.text(text))
        }
        if done {
            signals.append(.finished(FinishReason(rawValue: doneReason ?? "stop")))
            if !counts.isEmpty { signals.append(.usage(.object(counts))) }
        }
        keepShape(of: line, signals: signals, from: before, toolsBefore: toolsBefore)
    }
}

private enum OllamaPaths {
    typealias Step = PayloadScanner.Step
    static let response: [Step] = ["response"]
    static let done: [Step] = ["done"]
    static let doneReason: [Step] = ["done_reason"]
    static let messageContent: [Step] = ["message", "content"]
    static let toolCall: [Step] = ["message", "tool_calls", .anyIndex]
    static let toolCallFunction: [Step] = ["message", "tool_calls", .anyIndex, "function"]
    static let counts: [(String, [Step])] = ["prompt_eval_count", "eval_count", "total_duration"].map { ($0, [Step(stringLiteral: $0)]) }
}
