import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IncrementalJSON
import PlanStream

/// Plan events from a live HTTP stream — Gemini, OpenAI chat and Responses, Anthropic, Ollama, plain
/// text or a relaying backend, the text or a tool call's arguments — on Linux and Apple platforms.
///
/// ```swift
/// var request = URLRequest(url: URL(string:
///     "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse")!)
/// request.httpMethod = "POST"
/// request.setValue(apiKey, forHTTPHeaderField: "x-goog-api-key")
/// request.httpBody = body
/// let stream = PlanStreamClient().events(for: request, format: .gemini)
/// do {
///     for try await event in stream {
///         if case .dayCompleted(let index, let day, _) = event { show(day, index) }
///     }
/// } catch let interruption as PlanStreamInterruption {
///     print(interruption.reason)
///     save(stream.partialPlan?.json)             // every completed day, whatever happened
/// }
/// ```
///
/// With a `SnapshotPolicy` the stream also yields the day being written, as it grows
/// (`PlanStreamClient(snapshots: .atMost(every: .milliseconds(100)))`, then
/// `case .daySnapshot(let index, let partial)` in the loop).
///
/// The idle timeout restarts with every chunk received; an optional deadline bounds the whole
/// stream; cancelling the consuming task cancels the request. On any interruption — a provider
/// error, a `MAX_TOKENS`/`length` finish, a dropped connection, a timeout — the stream delivers a
/// `partial` event with every completed day, then throws ``PlanStreamInterruption``.
public struct PlanStreamClient: Sendable {
    /// The longest wait for the next chunk. Default 60 seconds.
    public var idleTimeout: Duration
    /// The longest the whole stream may take, if set.
    public var deadline: Duration?
    /// When the day (and metadata) being written is reported: `daySnapshot` events. Default off.
    public var snapshots: SnapshotPolicy
    /// How many times a lost relay stream is resumed (default 3): only a ``StreamFormat/progress``
    /// stream whose events carry `id:` lines, from the last one, with `Last-Event-ID`, after the
    /// server's `retry:` delay (1 s if it gave none). Model providers send no ids and their
    /// requests are never repeated: a second request would generate a second document.
    public var maximumReconnects: Int
    /// Decodes the days and the metadata into your types: set its strategies (snake-case keys,
    /// ISO 8601 dates) here.
    public var decoder: JSONTokenDecoder
    /// How requests go out. Default ``Transport/automatic``.
    public var transport: Transport

    /// How ``events(for:format:document:schema:continuing:metadata:day:)`` sends a request.
    public enum Transport: Sendable, Hashable {
        /// `http://` (a model server on the machine or the network, such as Ollama) over a plain
        /// socket, read as it arrives by one thread that waits on every such connection at once
        /// and parses each read there (your `Metadata` and `Day` types decode on it; the events
        /// reach your task through the stream) — a model's stream is tens of thousands of tiny
        /// writes, and URLSession on Linux costs ~47 µs of CPU per write; `https://`, a proxy in
        /// the environment or a streamed request body through URLSession. The socket transport
        /// does not follow redirects (a 3xx is an HTTP error) nor decode compressed bodies.
        case automatic
        /// Every request through URLSession.
        case urlSession
    }

    public init(idleTimeout: Duration = .seconds(60), deadline: Duration? = nil, snapshots: SnapshotPolicy = .off,
                maximumReconnects: Int = 3, decoder: JSONTokenDecoder = JSONTokenDecoder(), transport: Transport = .automatic) {
        self.idleTimeout = idleTimeout
        self.deadline = deadline
        self.snapshots = snapshots
        self.maximumReconnects = maximumReconnects
        self.decoder = decoder
        self.transport = transport
    }

    /// Streams `request` (see ``Transport``) and reads the body as `format`; the response's
    /// Content-Type says how it is framed (an event stream, NDJSON, or a whole JSON response).
    ///
    /// - Parameters:
    ///   - request: the provider request; its body asks for the plan (and `stream: true` where
    ///     the provider needs it).
    ///   - format: how the body carries the document (``StreamFormat/auto`` picks by Content-Type
    ///     and first bytes).
    ///   - document: the text (default) or a tool call's arguments (``DocumentSource``).
    ///   - schema: where the metadata and the days are in the document.
    ///   - partial: the partial plan of an earlier stream that this request continues: its
    ///     days merge with the new ones, and `completed` holds the whole plan.
    ///   - metadata: the type the metadata decodes to.
    ///   - day: the type each day decodes to.
    public func events<Metadata: Decodable & Sendable, Day: Decodable & Sendable>(
        for request: URLRequest, format: StreamFormat, document: DocumentSource = .text,
        schema: PlanSchema = PlanSchema(), continuing partial: PartialPlan<Metadata, Day>? = nil,
        metadata: Metadata.Type, day: Day.Type
    ) -> PlanEventStream<Metadata, Day> {
        var request = request
        // Our own watchdog enforces the idle timeout; URLSession's (whole seconds on Linux) only backs it up.
        request.timeoutInterval = max(request.timeoutInterval, Double(idleTimeout.components.seconds) * 2 + 5)
        let first = request
        let overSocket = transport == .automatic && SocketByteStream.canSend(request)
        return stream(format: format, document: document, schema: schema, continuing: partial) { lastEventID in
            var request = first
            if let lastEventID { request.setValue(lastEventID, forHTTPHeaderField: "Last-Event-ID") }
            return overSocket ? SocketByteStream.body(for: request) : URLSessionByteStream.body(for: request)
        }
    }

    /// Reads a body that another HTTP client delivers (AsyncHTTPClient, Vapor, Hummingbird, a
    /// file): the same pipeline without the URLSession transport. Pass the response's
    /// `contentType` when you have it; without it the first bytes decide how the body is framed.
    public func events<Chunks: AsyncSequence & Sendable, Metadata: Decodable & Sendable, Day: Decodable & Sendable>(
        from chunks: Chunks, format: StreamFormat, contentType: String? = nil, document: DocumentSource = .text,
        schema: PlanSchema = PlanSchema(), continuing partial: PartialPlan<Metadata, Day>? = nil,
        metadata: Metadata.Type, day: Day.Type
    ) -> PlanEventStream<Metadata, Day> where Chunks.Element == [UInt8] {
        stream(format: format, document: document, schema: schema, continuing: partial, reconnects: 0) { _ in
            ResponseBody(chunks: chunks, contentType: { contentType })
        }
    }

    private func stream<Metadata: Decodable & Sendable, Day: Decodable & Sendable>(
        format: StreamFormat, document: DocumentSource, schema: PlanSchema, continuing partial: PartialPlan<Metadata, Day>?,
        reconnects: Int? = nil, connect: @escaping @Sendable (_ lastEventID: String?) -> ResponseBody
    ) -> PlanEventStream<Metadata, Day> {
        let state = StreamState<Metadata, Day>()
        let idleTimeout = idleTimeout
        let deadline = deadline
        let reader = Pipeline<Metadata, Day>.Configuration(
            format: format, document: document, schema: schema, snapshots: snapshots, decoder: decoder,
            continuing: partial, maximumReconnects: reconnects ?? maximumReconnects)
        let stream = AsyncThrowingStream<PlanEvent<Metadata, Day>, any Error> { continuation in
            let pipeline = Task {
                await Pipeline<Metadata, Day>(configuration: reader, state: state, continuation: continuation).run(connect)
            }
            let watchdog = Task {
                await state.watch(pipeline: pipeline, idleTimeout: idleTimeout, deadline: deadline)
            }
            state.setTasks([pipeline, watchdog])
            continuation.onTermination = { _ in state.cancelTasks() }
        }
        return PlanEventStream(events: stream, state: state)
    }
}

extension PlanStreamClient {
    /// Streams `request` with the ready-made models of the seed's plan.
    public func events(for request: URLRequest, format: StreamFormat, document: DocumentSource = .text,
                       schema: PlanSchema = PlanSchema(), continuing partial: PartialPlan<PlanMetadata, PlanDay>? = nil)
        -> PlanEventStream<PlanMetadata, PlanDay>
    {
        events(for: request, format: format, document: document, schema: schema, continuing: partial,
               metadata: PlanMetadata.self, day: PlanDay.self)
    }
}
