import IncrementalJSON

extension StreamBodyReader {
    /// Gemini (`GenerateContentResponse`, streamed or whole): text in
    /// `candidates[0].content.parts[*].text` — never `thought` parts; a `functionCall` part's
    /// `args` (whole) when the document is a tool call; the finish reason (Vertex repeats it on
    /// every chunk: the last one counts); token counts; a blocked prompt; an error object.
    mutating func gemini(_ data: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        var texts: [Signal] = []
        var partText: String?
        var partIsThought = false
        var callName: String?
        var callArguments: [UInt8]?
        var finish: String?
        var usage: JSONValue?
        var error: JSONValue?
        var hasCandidate = false
        var blockReason: String?
        var blockMessage: String?
        let document = document
        var tools = tools
        try payloads.scan(data) { visit in
            if visit.depth == 1 {
                if visit.is(GeminiPaths.usageMetadata), !visit.isStart { usage = visit.value }
                if visit.is(GeminiPaths.error), !visit.isStart { error = visit.value }
            } else if visit.starts(with: GeminiPaths.firstCandidate) {
                if visit.depth == 2 { hasCandidate = true }
                if visit.depth == 5, visit.starts(with: GeminiPaths.parts) {
                    if visit.token.kind == .objectStart {
                        (partText, partIsThought, callName, callArguments) = (nil, false, nil, nil)
                    } else if visit.isObjectEnd {
                        if document.readsToolArguments {
                            if let callArguments, tools.selected == nil {
                                tools.consider(id: .index(visit.index(at: 4)), name: callName, for: document)
                                if tools.selected != nil { texts.append(.text(callArguments)) }
                            }
                        } else if let text = partText, !partIsThought, !text.isEmpty {
                            texts.append(.text(Array(text.utf8)))
                        }
                    }
                } else if visit.depth == 6, visit.starts(with: GeminiPaths.parts) {
                    if visit.lastStep(is: .text) { partText = visit.text }
                    if visit.lastStep(is: .thought) { partIsThought = visit.token.kind == .true }
                } else if visit.depth == 7, visit.starts(with: GeminiPaths.functionCall) {
                    if visit.lastStep(is: .name) { callName = visit.text }
                    if visit.lastStep(is: .args), !visit.isStart { callArguments = visit.rawBytes }
                } else if visit.is(GeminiPaths.finishReason) {
                    finish = visit.text
                }
            } else if visit.is(GeminiPaths.blockReason) {
                blockReason = visit.text
            } else if visit.is(GeminiPaths.blockReasonMessage) {
                blockMessage = visit.text
            }
        }
        if let error, let providerError = Self.error(from: .object(["error": error])) {
            signals.append(.providerError(providerError))
            return
        }
        self.tools = tools
        signals += texts
        if let finish { signals.append(.finished(FinishReason(rawValue: finish))) }
        if let usage, usage != .null { signals.append(.usage(usage)) }
        if !hasCandidate, let blockReason {
            signals.append(.providerError(ProviderError(message: blockMessage ?? "prompt blocked", code: blockReason)))
        }
    }
}

/// The paths the Gemini reader looks for, made once (a literal array would be allocated per call).
private enum GeminiPaths {
    typealias Step = PayloadScanner.Step
    static let usageMetadata: [Step] = ["usageMetadata"]
    static let error: [Step] = ["error"]
    static let firstCandidate: [Step] = ["candidates", 0]
    static let parts: [Step] = ["candidates", 0, "content", "parts"]
    static let functionCall: [Step] = ["candidates", 0, "content", "parts", .anyIndex, "functionCall"]
    static let finishReason: [Step] = ["candidates", 0, "finishReason"]
    static let blockReason: [Step] = ["promptFeedback", "blockReason"]
    static let blockReasonMessage: [Step] = ["promptFeedback", "blockReasonMessage"]
}
