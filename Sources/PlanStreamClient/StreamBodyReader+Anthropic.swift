import IncrementalJSON

extension StreamBodyReader {
    /// Anthropic Messages, streamed (named events whose `data.type` is the event's name) or whole
    /// (`"type": "message"`): `text_delta` text, or the `input_json_delta` of the chosen `tool_use`
    /// block (told apart by the block `index`; its name comes in `content_block_start`) — never
    /// `thinking_delta`, `signature_delta` or `citations_delta`; `message_delta`'s `stop_reason`
    /// and `usage` (`message_start`'s before it); `event: error` as a provider error. `ping`,
    /// `message_stop` and event types added later are read and ignored.
    mutating func anthropic(_ data: ArraySlice<UInt8>, eventType: ArraySlice<UInt8>?,
                            into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        if readReplayingShape(data, eventType: eventType, into: &signals) { return }
        let before = signals.count
        let toolsBefore = tools
        var event = AnthropicEvent()
        var block = AnthropicBlock()
        try payloads.scan(data) { visit in
            switch visit.depth {
            case 1:
                if visit.lastStep(is: .type) { event.type = visit.text }
                if visit.lastStep(is: .index) { event.index = visit.int }
                if visit.lastStep(is: .stopReason) { event.stopReason = visit.text }
                if visit.lastStep(is: .usage), !visit.isStart { event.usage = visit.value }
                if visit.lastStep(is: .error), !visit.isStart { event.error = visit.value }
            case 2:
                if visit.is(AnthropicPaths.contentBlockType) { event.blockType = visit.text }
                if visit.is(AnthropicPaths.contentBlockName) { event.blockName = visit.text }
                if visit.is(AnthropicPaths.deltaType) { event.deltaType = visit.text }
                if visit.is(AnthropicPaths.deltaText) { event.text = visit.text }
                if visit.is(AnthropicPaths.deltaPartialJSON) { event.partialJSON = visit.text }
                if visit.is(AnthropicPaths.deltaStopReason) { event.stopReason = visit.text }
                if visit.is(AnthropicPaths.messageUsage), !visit.isStart { event.usage = visit.value }
                // A whole message's content blocks.
                if visit.starts(with: AnthropicPaths.content) {
                    if visit.token.kind == .objectStart { block = AnthropicBlock() }
                    if visit.isObjectEnd { event.blocks.append(block) }
                }
            case 3 where visit.starts(with: AnthropicPaths.content):
                if visit.lastStep(is: .type) { block.type = visit.text }
                if visit.lastStep(is: .text) { block.text = visit.text }
                if visit.lastStep(is: .name) { block.name = visit.text }
                if visit.lastStep(is: .input), !visit.isStart { block.input = visit.rawBytes }
            default:
                break
            }
        }
        if eventType.map({ $0.elementsEqual(Self.errorEvent) }) == true || event.type == "error" {
            signals.append(.providerError(Self.error(from: .object(["error": event.error ?? .null]))
                ?? ProviderError(message: String(decoding: data, as: UTF8.self))))
            return
        }
        switch event.type {
        case "content_block_start":
            if event.blockType == "tool_use", let index = event.index {
                tools.consider(id: .index(index), name: event.blockName, for: document)
            }
        case "content_block_delta":
            if event.deltaType == "text_delta", !document.readsToolArguments, let text = event.text, !text.isEmpty {
                signals.append(.text(Array(text.utf8)))
            } else if event.deltaType == "input_json_delta", let index = event.index, tools.isSelected(.index(index)),
                      let json = event.partialJSON, !json.isEmpty {
                signals.append(.text(Array(json.utf8)))
            }
        case "message":
            for (position, block) in event.blocks.enumerated() {
                if block.type == "text", !document.readsToolArguments, let text = block.text, !text.isEmpty {
                    signals.append(.text(Array(text.utf8)))
                } else if block.type == "tool_use", let input = block.input {
                    tools.consider(id: .index(position), name: block.name, for: document)
                    if tools.isSelected(.index(position)) { signals.append(.text(input)) }
                }
            }
        default:
            break
        }
        if let stopReason = event.stopReason { signals.append(.finished(FinishReason(rawValue: stopReason))) }
        if let usage = event.usage, usage != .null { signals.append(.usage(usage)) }
        keepShape(of: data, eventType: eventType, signals: signals, from: before, toolsBefore: toolsBefore)
    }

    private static let errorEvent = Array("error".utf8)
}

/// The members of one Anthropic event, read before it is acted on.
private struct AnthropicEvent {
    var type: String?
    var index: Int?
    var blockType: String?
    var blockName: String?
    var deltaType: String?
    var text: String?
    var partialJSON: String?
    var stopReason: String?
    var usage: JSONValue?
    var error: JSONValue?
    var blocks: [AnthropicBlock] = []
}

/// A content block of a whole message.
private struct AnthropicBlock {
    var type: String?
    var text: String?
    var name: String?
    var input: [UInt8]?
}

private enum AnthropicPaths {
    typealias Step = PayloadScanner.Step
    static let contentBlockType: [Step] = ["content_block", "type"]
    static let contentBlockName: [Step] = ["content_block", "name"]
    static let deltaType: [Step] = ["delta", "type"]
    static let deltaText: [Step] = ["delta", "text"]
    static let deltaPartialJSON: [Step] = ["delta", "partial_json"]
    static let deltaStopReason: [Step] = ["delta", "stop_reason"]
    static let messageUsage: [Step] = ["message", "usage"]
    static let content: [Step] = ["content", .anyIndex]
}
