import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IncrementalJSON
import PlanStream
import Synchronization

/// Plan events from a live HTTP stream — Gemini, OpenAI-style, NDJSON, plain text or a relaying
/// backend — on Linux and Apple platforms.
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
///         if case .dayCompleted(let index, let day) = event { show(day, index) }
///     }
/// } catch let interruption as PlanStreamInterruption {
///     save(stream.partialPlan?.json)             // every completed day, whatever happened
/// }
/// ```
///
/// With a ``SnapshotPolicy`` the stream also yields the day being written, as it grows
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

    public init(idleTimeout: Duration = .seconds(60), deadline: Duration? = nil, snapshots: SnapshotPolicy = .off) {
        self.idleTimeout = idleTimeout
        self.deadline = deadline
        self.snapshots = snapshots
    }

    /// Streams `request` through URLSession and reads the body as `format`.
    public func events<Metadata: Decodable & Sendable, Day: Decodable & Sendable>(
        for request: URLRequest, format: StreamFormat, schema: PlanSchema = PlanSchema(),
        metadata: Metadata.Type, day: Day.Type
    ) -> PlanEventStream<Metadata, Day> {
        var request = request
        // Our own watchdog enforces the idle timeout; URLSession's (whole seconds on Linux) only backs it up.
        request.timeoutInterval = max(request.timeoutInterval, Double(idleTimeout.components.seconds) * 2 + 5)
        return events(from: URLSessionByteStream.body(for: request), format: format, schema: schema,
                      metadata: metadata, day: day)
    }

    /// Reads a body that another HTTP client delivers (AsyncHTTPClient, Vapor, Hummingbird, a
    /// file): the same pipeline without the URLSession transport.
    public func events<Chunks: AsyncSequence & Sendable, Metadata: Decodable & Sendable, Day: Decodable & Sendable>(
        from chunks: Chunks, format: StreamFormat, schema: PlanSchema = PlanSchema(),
        metadata: Metadata.Type, day: Day.Type
    ) -> PlanEventStream<Metadata, Day> where Chunks.Element == [UInt8] {
        let state = StreamState<Metadata, Day>()
        let idleTimeout = idleTimeout
        let deadline = deadline
        let snapshots = snapshots
        let stream = AsyncThrowingStream<PlanEvent<Metadata, Day>, any Error> { continuation in
            let pipeline = Task {
                await Pipeline<Metadata, Day>(format: format, schema: schema, snapshots: snapshots, state: state,
                                              continuation: continuation).run(chunks)
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
    public func events(for request: URLRequest, format: StreamFormat, schema: PlanSchema = PlanSchema())
        -> PlanEventStream<PlanMetadata, PlanDay>
    {
        events(for: request, format: format, schema: schema, metadata: PlanMetadata.self, day: PlanDay.self)
    }
}

/// The events of one plan stream; ``partialPlan`` holds everything completed so far, also after
/// the consuming task was cancelled.
public struct PlanEventStream<Metadata: Sendable, Day: Sendable>: AsyncSequence, Sendable {
    public typealias Element = PlanEvent<Metadata, Day>
    let events: AsyncThrowingStream<PlanEvent<Metadata, Day>, any Error>
    let state: StreamState<Metadata, Day>

    /// The partial plan as of the last completed part — the metadata or a day (after the stream
    /// ends: as it ended, with the day in progress).
    /// Cost: O(1) to read (a lock); its ``PartialPlan/json`` is rendered when read.
    public var partialPlan: PartialPlan<Metadata, Day>? { state.partialPlan }

    /// The provider's latest token counts, as it sent them (Gemini `usageMetadata`, OpenAI
    /// `usage`, Ollama's final counts), if any.
    public var usage: JSONValue? { state.usage }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: events.makeAsyncIterator(), stopper: Stopper(state: state))
    }

    /// Leaving the loop (`break`, a thrown error) cancels the request, as cancelling the task does.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<PlanEvent<Metadata, Day>, any Error>.Iterator
        let stopper: Stopper

        public mutating func next() async throws -> PlanEvent<Metadata, Day>? {
            try await base.next()
        }
    }

    /// Cancels the stream's tasks when the last copy of its iterator goes away.
    final class Stopper: Sendable {
        let state: StreamState<Metadata, Day>
        init(state: StreamState<Metadata, Day>) { self.state = state }
        deinit { state.cancelTasks() }
    }
}

@available(*, unavailable)
extension PlanEventStream.Iterator: Sendable {}

/// What the pipeline and the watchdog share.
final class StreamState<Metadata: Sendable, Day: Sendable>: Sendable {
    private struct Shared {
        var lastActivity = ContinuousClock.now
        var timeout: PlanStreamInterruption.Reason?
        var partialPlan: PartialPlan<Metadata, Day>?
        var tasks: [Task<Void, Never>] = []
        var usage: JSONValue?
    }

    private let shared = Mutex(Shared())
    private let started = ContinuousClock.now

    var partialPlan: PartialPlan<Metadata, Day>? { shared.withLock { $0.partialPlan } }
    var timeout: PlanStreamInterruption.Reason? { shared.withLock { $0.timeout } }

    func touch() { shared.withLock { $0.lastActivity = .now } }

    func record(_ partial: PartialPlan<Metadata, Day>) { shared.withLock { $0.partialPlan = partial } }

    func setTasks(_ tasks: [Task<Void, Never>]) { shared.withLock { $0.tasks = tasks } }

    var usage: JSONValue? { shared.withLock { $0.usage } }

    func record(usage: JSONValue) { shared.withLock { $0.usage = usage } }

    func cancelTasks() {
        for task in shared.withLock({ $0.tasks }) { task.cancel() }
    }

    /// Cancels `pipeline` when no chunk arrived for `idleTimeout`, or when `deadline` passed.
    func watch(pipeline: Task<Void, Never>, idleTimeout: Duration, deadline: Duration?) async {
        while !Task.isCancelled {
            let (last, now) = shared.withLock { ($0.lastActivity, ContinuousClock.now) }
            var wake = last + idleTimeout
            if let deadline { wake = min(wake, started + deadline) }
            if let deadline, now >= started + deadline {
                shared.withLock { $0.timeout = .deadlineExceeded(deadline) }
                pipeline.cancel()
                return
            }
            if now - last >= idleTimeout {
                shared.withLock { $0.timeout = .idleTimeout(idleTimeout) }
                pipeline.cancel()
                return
            }
            try? await Task.sleep(until: wake, clock: .continuous)
        }
    }
}

/// Body chunks → plan events on the stream, and the end of the stream, whatever ends it.
struct Pipeline<Metadata: Decodable & Sendable, Day: Decodable & Sendable> {
    let format: StreamFormat
    let schema: PlanSchema
    let snapshots: SnapshotPolicy
    let state: StreamState<Metadata, Day>
    let continuation: AsyncThrowingStream<PlanEvent<Metadata, Day>, any Error>.Continuation

    func run<Chunks: AsyncSequence>(_ chunks: Chunks) async where Chunks.Element == [UInt8] {
        let reader = PlanResponseReader<Metadata, Day>(format: format, schema: schema, snapshots: snapshots)
        let parser = reader.parser
        func yield(_ event: PlanEvent<Metadata, Day>) {
            continuation.yield(event)
            if PlanResponseReader.completesAPart(event) { state.record(parser.partialPlan) }
        }

        var interruption: PlanStreamInterruption.Reason?
        do {
            for try await chunk in chunks {
                state.touch()
                try reader.read(chunk, yield)
                if let usage = reader.usage { state.record(usage: usage) }
            }
            try reader.endOfBody(yield)
            if let usage = reader.usage { state.record(usage: usage) }
        } catch let stop as StreamStop {
            interruption = stop.reason
        } catch let error as URLSessionByteStream.HTTPStatusError {
            interruption = .httpStatus(error.status, body: error.body)
        } catch is CancellationError {
            interruption = state.timeout ?? .cancelled
        } catch let error as URLError where error.code == .cancelled {
            interruption = state.timeout ?? .cancelled
        } catch let error as URLError {
            interruption = .connectionLost(error.localizedDescription)
        } catch let error as JSONParseError {
            interruption = .invalidStream("payload is not JSON: \(error)")
        } catch {
            interruption = Task.isCancelled ? (state.timeout ?? .cancelled) : .invalidStream("\(error)")
        }
        if interruption == nil, Task.isCancelled { interruption = state.timeout ?? .cancelled }
        if interruption == nil, let finish = reader.finishReason, finish.kind != .complete {
            interruption = finish.kind == .truncated ? .truncated(finish) : .stopped(finish)
        }

        // The end: the completed plan, or the partial plan and the reason.
        let last = parser.finish()
        for event in last {
            if case .partial(let partial) = event { state.record(partial) }
            continuation.yield(event)
        }
        if case .completed? = last.last, interruption == nil {
            continuation.finish()
            return
        }
        continuation.finish(throwing: PlanStreamInterruption(
            reason: interruption ?? .endedEarly, daysCompleted: state.partialPlan?.nextDayIndex ?? 0,
            receivedDocumentText: reader.receivedText))
    }
}
