import IncrementalJSON

/// Why a plan stream ended before its document was complete. It is thrown after the `partial`
/// event, which holds every completed day.
///
/// ```swift
/// do {
///     for try await event in client.events(for: request, format: .gemini) { handle(event) }
/// } catch let interruption as PlanStreamInterruption {
///     print(interruption.reason, interruption.daysCompleted)
/// }
/// ```
public struct PlanStreamInterruption: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the stream stopped: its ``kind`` to branch on, the details (``statusCode``,
    /// ``finishReason``, ``providerError``, ``parseError``, ``duration``, ``message``) where the
    /// kind has them, and a sentence as its description.
    ///
    /// ```swift
    /// switch interruption.reason.kind {
    /// case .truncated: askToContinue(after: interruption.daysCompleted)   // README: continue from day N
    /// case .idleTimeout, .connectionLost: retry()
    /// default: show(interruption.description)
    /// }
    /// ```
    ///
    /// A struct over a private enum, as `Kind` is a struct of static members (as `URLError.Code`
    /// is): a new reason is not a source-breaking change.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        package enum Code: Sendable, Hashable {
            case httpStatus(Int, body: String)
            case providerError(ProviderError)
            case truncated(FinishReason)
            case stopped(FinishReason)
            case connectionLost(String)
            case endedEarly
            case noDocumentText(FinishReason?)
            case refused(String)
            case idleTimeout(Duration)
            case deadlineExceeded(Duration)
            case cancelled
            case invalidJSON(JSONParseError)
            case invalidStream(String)
        }

        package var code: Code

        package init(_ code: Code) { self.code = code }

        /// A non-2xx status, with the start of the body.
        public static func httpStatus(_ status: Int, body: String) -> Reason { Reason(.httpStatus(status, body: body)) }
        /// An error payload from the provider in the stream.
        public static func providerError(_ error: ProviderError) -> Reason { Reason(.providerError(error)) }
        /// The model hit its output limit (`MAX_TOKENS`, `length`).
        public static func truncated(_ finish: FinishReason) -> Reason { Reason(.truncated(finish)) }
        /// The provider stopped for another reason (`SAFETY`, `content_filter`, …).
        public static func stopped(_ finish: FinishReason) -> Reason { Reason(.stopped(finish)) }
        /// The connection failed.
        public static func connectionLost(_ message: String) -> Reason { Reason(.connectionLost(message)) }
        /// The body ended, without a finish reason, before the document was complete.
        public static let endedEarly = Reason(.endedEarly)
        /// The response carried no document text at all (the finish reason, if the provider gave
        /// one): the model answered with something else, a tool call the source does not read, or
        /// nothing.
        public static func noDocumentText(_ finish: FinishReason?) -> Reason { Reason(.noDocumentText(finish)) }
        /// The model refused, with this text (OpenAI `refusal`), instead of writing the document.
        public static func refused(_ text: String) -> Reason { Reason(.refused(text)) }
        /// No byte arrived for this long.
        public static func idleTimeout(_ duration: Duration) -> Reason { Reason(.idleTimeout(duration)) }
        /// The overall deadline passed.
        public static func deadlineExceeded(_ duration: Duration) -> Reason { Reason(.deadlineExceeded(duration)) }
        /// The consuming task was cancelled.
        public static let cancelled = Reason(.cancelled)
        /// The document text is not valid JSON.
        public static func invalidJSON(_ error: JSONParseError) -> Reason { Reason(.invalidJSON(error)) }
        /// The body does not follow its format (a payload that is not JSON, an overlong line).
        public static func invalidStream(_ message: String) -> Reason { Reason(.invalidStream(message)) }

        /// The kind of interruption, without its details.
        public var kind: Kind {
            switch code {
            case .httpStatus: return .httpStatus
            case .providerError: return .providerError
            case .truncated: return .truncated
            case .stopped: return .stopped
            case .connectionLost: return .connectionLost
            case .endedEarly: return .endedEarly
            case .noDocumentText: return .noDocumentText
            case .refused: return .refused
            case .idleTimeout: return .idleTimeout
            case .deadlineExceeded: return .deadlineExceeded
            case .cancelled: return .cancelled
            case .invalidJSON: return .invalidJSON
            case .invalidStream: return .invalidStream
            }
        }

        /// The HTTP status, for `Kind/httpStatus`.
        public var statusCode: Int? {
            if case .httpStatus(let status, _) = code { return status }
            return nil
        }

        /// The provider's finish reason, for `Kind/truncated`, `Kind/stopped` and (when the
        /// provider gave one) `Kind/noDocumentText`.
        public var finishReason: FinishReason? {
            switch code {
            case .truncated(let finish), .stopped(let finish): return finish
            case .noDocumentText(let finish): return finish
            default: return nil
            }
        }

        /// The provider's error, for `Kind/providerError`.
        public var providerError: ProviderError? {
            if case .providerError(let error) = code { return error }
            return nil
        }

        /// Where the document text stopped being JSON, for `Kind/invalidJSON`.
        public var parseError: JSONParseError? {
            if case .invalidJSON(let error) = code { return error }
            return nil
        }

        /// The limit that passed, for `Kind/idleTimeout` and `Kind/deadlineExceeded`.
        public var duration: Duration? {
            switch code {
            case .idleTimeout(let duration), .deadlineExceeded(let duration): return duration
            default: return nil
            }
        }

        /// The text that came with it: the start of the body (`Kind/httpStatus`), the system's
        /// message (`Kind/connectionLost`), the refusal (`Kind/refused`), or what is wrong with
        /// the stream (`Kind/invalidStream`).
        public var message: String? {
            switch code {
            case .httpStatus(_, let text), .connectionLost(let text), .refused(let text), .invalidStream(let text):
                return text
            default:
                return nil
            }
        }

        public var description: String {
            switch code {
            case .httpStatus(let status, let body): return "HTTP \(status): \(body.prefix(200))"
            case .providerError(let error): return "provider error: \(error)"
            case .truncated(let reason): return "the model hit its output limit (\(reason))"
            case .stopped(let reason): return "the model stopped (\(reason))"
            case .connectionLost(let message): return "connection lost: \(message)"
            case .endedEarly: return "the stream ended before the document was complete"
            case .noDocumentText(let reason):
                return "the response carried no document text" + (reason.map { " (finish reason \($0))" } ?? "")
            case .refused(let text): return "the model refused: \(text.prefix(200))"
            case .idleTimeout(let duration): return "no data for \(duration)"
            case .deadlineExceeded(let duration): return "deadline of \(duration) exceeded"
            case .cancelled: return "cancelled"
            case .invalidJSON(let error): return "invalid JSON: \(error)"
            case .invalidStream(let message): return "invalid stream: \(message)"
            }
        }
    }

    /// A kind of `Reason`: compare with the static members (`reason.kind == .truncated`).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        public static let httpStatus = Kind("httpStatus")
        public static let providerError = Kind("providerError")
        public static let truncated = Kind("truncated")
        public static let stopped = Kind("stopped")
        public static let connectionLost = Kind("connectionLost")
        public static let endedEarly = Kind("endedEarly")
        public static let noDocumentText = Kind("noDocumentText")
        public static let refused = Kind("refused")
        public static let idleTimeout = Kind("idleTimeout")
        public static let deadlineExceeded = Kind("deadlineExceeded")
        public static let cancelled = Kind("cancelled")
        public static let invalidJSON = Kind("invalidJSON")
        public static let invalidStream = Kind("invalidStream")

        public var description: String { name }
    }

    public var reason: Reason
    /// Days completed before the interruption (all of them are in the `partial` event).
    public var daysCompleted: Int
    /// Whether any document text arrived: `false` means the request failed outright.
    public var receivedDocumentText: Bool

    public init(reason: Reason, daysCompleted: Int, receivedDocumentText: Bool) {
        self.reason = reason
        self.daysCompleted = daysCompleted
        self.receivedDocumentText = receivedDocumentText
    }

    /// `<reason>; N days completed`.
    public var description: String {
        "\(reason); \(daysCompleted) day\(daysCompleted == 1 ? "" : "s") completed"
    }
}
