import IncrementalJSON
import PlanStream

/// The events of one plan stream; ``partialPlan`` holds everything completed so far, also after
/// the consuming task was cancelled.
public struct PlanEventStream<Metadata: Sendable, Day: Sendable>: AsyncSequence, Sendable {
    public typealias Element = PlanEvent<Metadata, Day>
    let events: AsyncThrowingStream<PlanEvent<Metadata, Day>, any Error>
    let state: StreamState<Metadata, Day>

    /// The partial plan as of the last completed part — the metadata or a day (after the stream
    /// ends: as it ended, with the day in progress).
    /// Cost: O(1) to read (a lock); its `PartialPlan/json` is rendered when read.
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
