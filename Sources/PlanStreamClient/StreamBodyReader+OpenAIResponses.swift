import IncrementalJSON

extension StreamBodyReader {
    /// OpenAI Responses API, streamed (`"type": "response.…"` events) or whole (`"object":
    /// "response"`): `response.output_text.delta` text, or the `function_call_arguments.delta` of
    /// the chosen function call (told apart by `item_id`; its name comes in
    /// `response.output_item.added`); `refusal.delta` apart, never text; the `.done` events, which
    /// repeat the whole text, are not read; `response.completed` / `response.incomplete` (with
    /// `incomplete_details.reason`) end it, `response.failed` and `error` are provider errors.
    /// An event whose `sequence_number` is not above the last one read is a repeat (a resumed
    /// stream) and is skipped; event types added later are ignored.
    mutating func openAIResponses(_ data: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        var event = ResponsesEvent()
        var item = ResponsesItem()
        var part = ResponsesPart()
        try payloads.scan(data) { visit in
            switch visit.depth {
            case 1:
                if visit.lastStep(is: .type) { event.type = visit.text }
                if visit.lastStep(is: .object) { event.object = visit.text }
                if visit.lastStep(is: .sequenceNumber) { event.sequenceNumber = visit.int }
                if visit.lastStep(is: .delta) { event.delta = visit.text }
                if visit.lastStep(is: .itemID) { event.itemID = visit.text }
                if visit.lastStep(is: .message) { event.message = visit.text }
                if visit.lastStep(is: .code), !visit.isStart { event.code = visit.value }
                if visit.lastStep(is: .status) { event.status = visit.text }
                if visit.lastStep(is: .usage), !visit.isStart { event.usage = visit.value }
                if visit.lastStep(is: .error), !visit.isStart { event.error = visit.value }
            case 2:
                if visit.is(ResponsesPaths.itemType) { event.item.type = visit.text }
                if visit.is(ResponsesPaths.itemID) { event.item.id = visit.text }
                if visit.is(ResponsesPaths.itemName) { event.item.name = visit.text }
                if visit.is(ResponsesPaths.responseStatus) { event.status = visit.text }
                if visit.is(ResponsesPaths.responseUsage), !visit.isStart { event.usage = visit.value }
                if visit.is(ResponsesPaths.responseError), !visit.isStart { event.error = visit.value }
                if visit.is(ResponsesPaths.incompleteReason) { event.incompleteReason = visit.text }
                if visit.starts(with: ResponsesPaths.outputItem) {
                    if visit.token.kind == .objectStart { item = ResponsesItem() }
                    if visit.isObjectEnd { event.output.append(item) }
                }
            case 3:
                if visit.is(ResponsesPaths.responseIncompleteReason) { event.incompleteReason = visit.text }
                if visit.starts(with: ResponsesPaths.outputItem) {
                    if visit.lastStep(is: .type) { item.type = visit.text }
                    if visit.lastStep(is: .name) { item.name = visit.text }
                    if visit.lastStep(is: .arguments) { item.arguments = visit.text }
                }
            case 4 where visit.starts(with: ResponsesPaths.contentPart):
                if visit.token.kind == .objectStart { part = ResponsesPart() }
                if visit.isObjectEnd { item.parts.append(part) }
            case 5 where visit.starts(with: ResponsesPaths.contentPart):
                if visit.lastStep(is: .type) { part.type = visit.text }
                if visit.lastStep(is: .text) { part.text = visit.text }
                if visit.lastStep(is: .refusal) { part.refusal = visit.text }
            default:
                break
            }
        }
        if let number = event.sequenceNumber {
            guard number > lastSequenceNumber else { return }
            lastSequenceNumber = number
        }
        let wantsTool = document.readsToolArguments
        switch event.type {
        case "response.output_item.added":
            if event.item.type == "function_call", let id = event.item.id {
                tools.consider(id: .item(id), name: event.item.name, for: document)
            }
        case "response.output_text.delta":
            if !wantsTool, let delta = event.delta, !delta.isEmpty { signals.append(.text(Array(delta.utf8))) }
        case "response.function_call_arguments.delta":
            if let id = event.itemID, tools.isSelected(.item(id)), let delta = event.delta, !delta.isEmpty {
                signals.append(.text(Array(delta.utf8)))
            }
        case "response.refusal.delta":
            if let delta = event.delta, !delta.isEmpty { signals.append(.refusal(delta)) }
        case "response.completed", "response.incomplete", "response.failed":
            finish(event, into: &signals)
        case "error":
            let error: JSONValue = event.error ?? .object(["message": .string(event.message ?? "error"),
                                                            "code": event.code ?? .null])
            signals.append(.providerError(Self.error(from: .object(["error": error])) ?? ProviderError(message: "error")))
        case nil where event.object == "response":
            // A whole response: its output items in order.
            for (position, item) in event.output.enumerated() {
                if item.type == "function_call", let arguments = item.arguments {
                    tools.consider(id: .index(position), name: item.name, for: document)
                    if tools.isSelected(.index(position)), !arguments.isEmpty { signals.append(.text(Array(arguments.utf8))) }
                }
                for part in item.parts {
                    if part.type == "output_text", !wantsTool, let text = part.text, !text.isEmpty {
                        signals.append(.text(Array(text.utf8)))
                    }
                    if let refusal = part.refusal, !refusal.isEmpty { signals.append(.refusal(refusal)) }
                }
            }
            finish(event, into: &signals)
        default:
            break
        }
    }

    /// The end of a response: its status, why it is incomplete, its usage, its error.
    private func finish(_ event: ResponsesEvent, into signals: inout [Signal]) {
        if let usage = event.usage, usage != .null { signals.append(.usage(usage)) }
        if event.type == "response.failed" || event.status == "failed" {
            let error = event.error.flatMap { Self.error(from: .object(["error": $0])) }
            signals.append(.providerError(error ?? ProviderError(message: "the response failed")))
        } else if event.type == "response.incomplete" || event.status == "incomplete" {
            signals.append(.finished(FinishReason(rawValue: event.incompleteReason ?? "incomplete")))
        } else if let status = event.status ?? (event.type == "response.completed" ? "completed" : nil) {
            signals.append(.finished(FinishReason(rawValue: status)))
        }
    }
}

/// The members of one Responses event (or a whole response), read before it is acted on.
private struct ResponsesEvent {
    var type: String?
    var object: String?
    var sequenceNumber: Int?
    var delta: String?
    var itemID: String?
    var message: String?
    var code: JSONValue?
    var status: String?
    var incompleteReason: String?
    var usage: JSONValue?
    var error: JSONValue?
    var item = (type: String?.none, id: String?.none, name: String?.none)
    var output: [ResponsesItem] = []
}

/// An output item of a whole response.
private struct ResponsesItem {
    var type: String?
    var name: String?
    var arguments: String?
    var parts: [ResponsesPart] = []
}

/// A content part of a message item.
private struct ResponsesPart {
    var type: String?
    var text: String?
    var refusal: String?
}

private enum ResponsesPaths {
    typealias Step = PayloadScanner.Step
    static let itemType: [Step] = ["item", "type"]
    static let itemID: [Step] = ["item", "id"]
    static let itemName: [Step] = ["item", "name"]
    static let responseStatus: [Step] = ["response", "status"]
    static let responseUsage: [Step] = ["response", "usage"]
    static let responseError: [Step] = ["response", "error"]
    static let responseIncompleteReason: [Step] = ["response", "incomplete_details", "reason"]
    static let incompleteReason: [Step] = ["incomplete_details", "reason"]
    static let outputItem: [Step] = ["output", .anyIndex]
    static let contentPart: [Step] = ["output", .anyIndex, "content", .anyIndex]
}
