/// How a response body carries the model's text.
public enum StreamFormat: String, Sendable, Hashable, CaseIterable {
    /// Gemini `streamGenerateContent?alt=sse`: text in `candidates[0].content.parts[*].text`.
    case gemini
    /// OpenAI-style chat completions: text in `choices[0].delta.content`, ending with `[DONE]`.
    case openai
    /// The body is the document itself.
    case text
    /// One JSON object per line with the text in `response` or `message.content` (Ollama).
    case ndjson
    /// The relaying backend protocol (``RelayEncoder``): `data:` lines with a `type` of status,
    /// metadata, day_complete, progress, complete, partial or error.
    case progress
}

/// Why the provider says the text ended.
public struct FinishReason: Sendable, Hashable, CustomStringConvertible {
    /// What the reason means for the document.
    public enum Kind: Sendable, Hashable {
        /// The model finished (`STOP`, `stop`).
        case complete
        /// The model hit its output limit (`MAX_TOKENS`, `length`): the document is cut.
        case truncated
        /// Anything else (`SAFETY`, `RECITATION`, `content_filter`, values added later).
        case stopped
    }

    /// The provider's own word for it.
    public var rawValue: String
    public var kind: Kind

    public init(rawValue: String) {
        self.rawValue = rawValue
        switch rawValue.lowercased() {
        case "stop", "end_turn", "stop_sequence": kind = .complete
        case "max_tokens", "length", "model_context_window_exceeded": kind = .truncated
        default: kind = .stopped
        }
    }

    public var description: String { rawValue }
}

/// An error the provider reported in the stream (or in a non-2xx body).
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The provider's code or status, when it gives one (`429`, `RESOURCE_EXHAUSTED`).
    public var code: String?

    public init(message: String, code: String? = nil) {
        self.message = message
        self.code = code
    }

    public var description: String { code.map { "\($0): \(message)" } ?? message }
}
