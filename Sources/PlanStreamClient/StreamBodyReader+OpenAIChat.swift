import IncrementalJSON

extension StreamBodyReader {
    /// OpenAI-style chat completions, streamed (`choices[i].delta`) or whole (`choices[i].message`):
    /// only the choice whose `index` is the document source's (a stream with `n` > 1 interleaves
    /// them; a choice without `index` counts by its position); its `content`, or a tool call's
    /// `function.arguments` (calls are told apart by their `index`, their name comes first);
    /// `refusal` apart, never text; the finish reason; token counts (a usage-only chunk has
    /// `choices: []`); an error object. `[DONE]` ends the stream.
    mutating func openAIChat(_ data: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        if data.starts(with: Self.done) || readReplayingShape(data, into: &signals) { return }
        // The choice's signals go straight into `signals`, and come out again if the payload
        // turns out malformed or an error: no array per payload.
        let before = signals.count
        var choice = ChatChoice()
        var call = ChatToolCall()
        var usage: JSONValue?
        var error: JSONValue?
        let document = document
        let toolsBefore = tools
        var tools = tools
        do {
            try payloads.scan(data) { visit in
                if visit.depth == 1 {
                    if visit.lastStep(is: .usage), !visit.isStart { usage = visit.value }
                    if visit.lastStep(is: .error), !visit.isStart { error = visit.value }
                    return
                }
                guard visit.starts(with: ChatPaths.choice) else { return }
                switch visit.depth {
                case 2:
                    if visit.token.kind == .objectStart {
                        choice = ChatChoice(index: visit.index(at: 1))
                    } else if visit.isObjectEnd, choice.index == document.choice {
                        choice.signals(for: document, tools: &tools, into: &signals)
                    }
                case 3:
                    if visit.lastStep(is: .index), let index = visit.int { choice.index = index }
                    if visit.lastStep(is: .finishReason) { choice.finish = visit.text }
                case 4:
                    if visit.is(ChatPaths.content), let text = visit.textUTF8 { choice.content = text }
                    if visit.is(ChatPaths.refusal), let text = visit.text { choice.refusal = text }
                case 5 where visit.starts(with: ChatPaths.toolCall):
                    if visit.token.kind == .objectStart {
                        call = ChatToolCall(index: visit.index(at: 4))
                    } else if visit.isObjectEnd {
                        choice.calls.append(call)
                    }
                case 6 where visit.starts(with: ChatPaths.toolCall):
                    if visit.lastStep(is: .index), let index = visit.int { call.index = index }
                case 7 where visit.starts(with: ChatPaths.toolCallFunction):
                    if visit.lastStep(is: .name) { call.name = visit.text }
                    if visit.lastStep(is: .arguments) {
                        // A string in OpenAI's API; an object from some compatible servers.
                        if let text = visit.textUTF8 { call.arguments = text } else if !visit.isStart { call.arguments = visit.rawBytes }
                    }
                default:
                    break
                }
            }
        } catch {
            signals.removeSubrange(before...)
            throw error
        }
        if let error, let providerError = Self.error(from: .object(["error": error])) {
            signals.removeSubrange(before...)
            signals.append(.providerError(providerError))
            return
        }
        self.tools = tools
        if let usage, usage != .null { signals.append(.usage(usage)) }
        keepShape(of: data, signals: signals, from: before, toolsBefore: toolsBefore)
    }

    private static let done = Array("[DONE]".utf8)
}

/// One choice of a chat chunk, read whole before it is used: `index` may follow `delta`.
private struct ChatChoice {
    var index = 0
    var content: [UInt8]?
    var refusal: String?
    var finish: String?
    var calls: [ChatToolCall] = []

    func signals(for document: DocumentSource, tools: inout ToolSelection, into signals: inout [StreamBodyReader.Signal]) {
        if document.readsToolArguments {
            for call in calls {
                let id = ToolSelection.ID.index(call.index)
                if call.name != nil { tools.consider(id: id, name: call.name, for: document) }
                if tools.isSelected(id), let arguments = call.arguments, !arguments.isEmpty { signals.append(.text(arguments)) }
            }
        } else if let content, !content.isEmpty {
            signals.append(.text(content))
        }
        if let refusal, !refusal.isEmpty { signals.append(.refusal(refusal)) }
        if let finish { signals.append(.finished(FinishReason(rawValue: finish))) }
    }
}

/// One entry of `tool_calls`: streamed calls are told apart by `index`, a whole message's by position.
private struct ChatToolCall {
    var index = 0
    var name: String?
    var arguments: [UInt8]?
}

private enum ChatPaths {
    typealias Step = PayloadScanner.Step
    static let message = Step(oneOf: "delta", "message")
    static let choice: [Step] = ["choices", .anyIndex]
    static let content: [Step] = ["choices", .anyIndex, message, "content"]
    static let refusal: [Step] = ["choices", .anyIndex, message, "refusal"]
    static let toolCall: [Step] = ["choices", .anyIndex, message, "tool_calls", .anyIndex]
    static let toolCallFunction: [Step] = ["choices", .anyIndex, message, "tool_calls", .anyIndex, "function"]
}
