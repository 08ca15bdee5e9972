import IncrementalJSON

/// Why a plan stream ended before its document was complete. It is thrown after the `partial`
/// event, which holds every completed day.
///
/// ```swift
/// do {
///     for try await event in client.events(for: request, format: .gemini) { … }
/// } catch let interruption as PlanStreamInterruption {
///     print(interruption.reason, interruption.daysCompleted)
/// }
/// ```
public struct PlanStreamInterruption: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// A non-2xx status, with the start of the body.
        case httpStatus(Int, body: String)
        /// An error payload from the provider in the stream.
        case providerError(ProviderError)
        /// The model hit its output limit (`MAX_TOKENS`, `length`).
        case truncated(FinishReason)
        /// The provider stopped for another reason (`SAFETY`, `content_filter`, …).
        case stopped(FinishReason)
        /// The connection failed.
        case connectionLost(String)
        /// The body ended, without a finish reason, before the document was complete.
        case endedEarly
        /// The response carried no document text at all (the finish reason, if the provider
        /// gave one): the model answered with something else, a tool call the source does not
        /// read, or nothing.
        case noDocumentText(FinishReason?)
        /// The model refused, with this text (OpenAI `refusal`), instead of writing the document.
        case refused(String)
        /// No byte arrived for this long.
        case idleTimeout(Duration)
        /// The overall deadline passed.
        case deadlineExceeded(Duration)
        /// The consuming task was cancelled.
        case cancelled
        /// The document text is not valid JSON.
        case invalidJSON(JSONParseError)
        /// The body does not follow its format (a payload that is not JSON, an overlong line).
        case invalidStream(String)
    }

    public var reason: Reason
    /// Days completed before the interruption (all of them are in the `partial` event).
    public var daysCompleted: Int
    /// Whether any document text arrived: `false` means the request failed outright.
    public var receivedDocumentText: Bool

    public var description: String {
        let what: String
        switch reason {
        case .httpStatus(let status, let body): what = "HTTP \(status): \(body.prefix(200))"
        case .providerError(let error): what = "provider error: \(error)"
        case .truncated(let reason): what = "the model hit its output limit (\(reason))"
        case .stopped(let reason): what = "the model stopped (\(reason))"
        case .connectionLost(let message): what = "connection lost: \(message)"
        case .endedEarly: what = "the stream ended before the document was complete"
        case .noDocumentText(let reason):
            what = "the response carried no document text" + (reason.map { " (finish reason \($0))" } ?? "")
        case .refused(let text): what = "the model refused: \(text.prefix(200))"
        case .idleTimeout(let duration): what = "no data for \(duration)"
        case .deadlineExceeded(let duration): what = "deadline of \(duration) exceeded"
        case .cancelled: what = "cancelled"
        case .invalidJSON(let error): what = "invalid JSON: \(error)"
        case .invalidStream(let message): what = "invalid stream: \(message)"
        }
        return "\(what); \(daysCompleted) day\(daysCompleted == 1 ? "" : "s") completed"
    }
}
