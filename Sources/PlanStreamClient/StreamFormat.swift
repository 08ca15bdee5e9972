/// How a response body carries the model's text.
///
/// Every streaming format also reads the provider's whole, non-streaming JSON response (a
/// `Content-Type: application/json` body, or a body that starts with `{` or `[` when no content
/// type is known), so a proxy that buffers the stream still gives a plan.
public enum StreamFormat: String, Sendable, Hashable, CaseIterable {
    /// Pick the reader from the Content-Type and the first payload: the CLI's default.
    case auto
    /// Gemini `streamGenerateContent?alt=sse`: text in `candidates[0].content.parts[*].text`.
    case gemini
    /// Gemini `streamGenerateContent` without `alt=sse`: a JSON array of responses, sent as it grows.
    case geminiJSON = "gemini-json"
    /// OpenAI-style chat completions: text in `choices[i].delta.content` for the chosen choice
    /// (index 0 by default), ending with `[DONE]`.
    case openai
    /// OpenAI Responses API: `response.output_text.delta` events, ending with `response.completed`,
    /// `response.incomplete` or `response.failed`.
    case openaiResponses = "openai-responses"
    /// Anthropic Messages: `content_block_delta` events, `message_delta` with the stop reason.
    case anthropic
    /// The body is the document itself.
    case text
    /// One JSON object per line with the text in `response` or `message.content` (Ollama).
    case ndjson
    /// The relaying backend protocol (``RelayEncoder``): `data:` lines with a `type` of status,
    /// metadata, day_complete, progress, complete, partial or error.
    case progress
}

/// Which part of the model's output is the document: its text, or the arguments of a tool
/// (function) call — the documented way to get reliable JSON from Claude and from OpenAI's strict
/// function calling.
///
/// ```swift
/// let stream = client.events(for: request, format: .anthropic, document: .toolArguments(named: "save_plan"))
/// ```
public struct DocumentSource: Sendable, Hashable, CustomStringConvertible {
    /// `nil`: the text; otherwise the tool call to read.
    enum Tool: Sendable, Hashable {
        case first
        case named(String)
    }

    let tool: Tool?
    /// The OpenAI-style choice to read (`n` > 1 streams several, interleaved). Default 0.
    public let choice: Int

    /// The assistant's text (the default).
    public static let text = DocumentSource(tool: nil, choice: 0)

    /// The text of the choice with this `index` (OpenAI-style chat streams with `n` > 1).
    public static func text(choice: Int) -> DocumentSource { DocumentSource(tool: nil, choice: choice) }

    /// The arguments of a tool call: the one named `name`, or the first one when `name` is `nil`.
    /// Other tool calls, and the text, are ignored.
    public static func toolArguments(named name: String? = nil, choice: Int = 0) -> DocumentSource {
        DocumentSource(tool: name.map(Tool.named) ?? .first, choice: choice)
    }

    /// Whether the document is a tool call's arguments.
    public var readsToolArguments: Bool { tool != nil }

    /// The tool call's name, when a particular one is asked for.
    public var toolName: String? {
        if case .named(let name)? = tool { return name }
        return nil
    }

    /// Whether a tool call named `name` is the one to read.
    func accepts(toolNamed name: String?) -> Bool {
        switch tool {
        case nil: return false
        case .first: return true
        case .named(let wanted): return name == wanted
        }
    }

    public var description: String {
        switch tool {
        case nil: return choice == 0 ? "text" : "text of choice \(choice)"
        case .first: return "the first tool call's arguments"
        case .named(let name): return "the arguments of tool call '\(name)'"
        }
    }
}

/// Why the provider says the text ended.
public struct FinishReason: Sendable, Hashable, CustomStringConvertible {
    /// What the reason means for the document.
    public enum Kind: Sendable, Hashable {
        /// The model finished (`STOP`, `stop`, `end_turn`, `tool_calls`, `completed`).
        case complete
        /// The model hit its output limit (`MAX_TOKENS`, `length`, `max_output_tokens`): the
        /// document is cut.
        case truncated
        /// Anything else (`SAFETY`, `RECITATION`, `content_filter`, `refusal`, values added later).
        case stopped
    }

    /// The provider's own word for it.
    public var rawValue: String
    public var kind: Kind

    public init(rawValue: String) {
        self.rawValue = rawValue
        switch rawValue.lowercased() {
        case "stop", "end_turn", "stop_sequence", "tool_calls", "tool_use", "function_call", "completed":
            kind = .complete
        case "max_tokens", "length", "max_output_tokens", "model_context_window_exceeded":
            kind = .truncated
        default:
            kind = .stopped
        }
    }

    public var description: String { rawValue }
}

/// An error the provider reported in the stream (or in a non-2xx body).
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The provider's code or status, when it gives one (`429`, `RESOURCE_EXHAUSTED`,
    /// `overloaded_error`).
    public var code: String?

    public init(message: String, code: String? = nil) {
        self.message = message
        self.code = code
    }

    public var description: String { code.map { "\($0): \(message)" } ?? message }
}
