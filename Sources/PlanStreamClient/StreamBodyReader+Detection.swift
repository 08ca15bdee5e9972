import IncrementalJSON

extension StreamBodyReader {
    /// Whose payload this is (``StreamFormat/auto``), from the event's name or the payload's
    /// `type`, `object` and top-level keys; `nil` when it does not say (an error object).
    mutating func detectProvider(_ data: ArraySlice<UInt8>, eventType: ArraySlice<UInt8>?) throws(PayloadScanner.Malformed) -> Provider? {
        if let eventType, !eventType.isEmpty {
            let name = String(decoding: eventType, as: UTF8.self)
            if name.hasPrefix("response.") { return .openAIResponses }
            if Self.anthropicTypes.contains(name) { return .anthropic }
        }
        var type: String?
        var object: String?
        var keys: Set<String> = []
        try payloads.scan(data) { visit in
            guard visit.depth == 1 else { return }
            if visit.lastStep(is: .type) { type = visit.text }
            if visit.lastStep(is: .object) { object = visit.text }
            for (key, step) in Self.shapeKeys where visit.lastStep(is: step) { keys.insert(key) }
        }
        if let type {
            if type.hasPrefix("response.") { return .openAIResponses }
            if Self.anthropicTypes.contains(type) || type == "message" { return .anthropic }
            if Self.relayTypes.contains(type) { return .relay }
        }
        if object == "response" { return .openAIResponses }
        if object?.hasPrefix("chat.completion") == true || keys.contains("choices") { return .openAIChat }
        if keys.contains("candidates") || keys.contains("promptFeedback") { return .gemini }
        if keys.contains("done") || keys.contains("response") || keys.contains("message") { return .ollama }
        return nil
    }

    private static let anthropicTypes: Set<String> = [
        "message_start", "message_delta", "message_stop", "content_block_start", "content_block_delta",
        "content_block_stop", "ping",
    ]
    private static let relayTypes: Set<String> = [
        "status", "metadata", "day_complete", "day_progress", "progress", "complete", "partial",
    ]
    private static let shapeKeys: [(String, PayloadScanner.Step)] = [
        "choices", "candidates", "promptFeedback", "done", "response", "message",
    ].map { ($0, PayloadScanner.Step(stringLiteral: $0)) }
}
