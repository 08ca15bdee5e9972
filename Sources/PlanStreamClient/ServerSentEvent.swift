/// One dispatched Server-Sent Event (WHATWG HTML §9.2.6).
public struct ServerSentEvent: Sendable, Hashable {
    /// The event type: the last `event` field, or `"message"`.
    public var type: String
    /// The `data` lines joined with line feeds.
    public var data: String
    /// The last event ID seen on the stream so far (it persists across events).
    public var lastEventID: String
    /// The reconnection time in milliseconds from the last valid `retry` field, if any.
    public var retry: Int?

    public init(type: String = "message", data: String, lastEventID: String = "", retry: Int? = nil) {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
        self.retry = retry
    }
}
