import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IncrementalJSON
import PlanStream

/// Body chunks → plan events on the stream, and the end of the stream, whatever ends it.
struct Pipeline<Metadata: Decodable & Sendable, Day: Decodable & Sendable> {
    struct Configuration: Sendable {
        var format: StreamFormat
        var document: DocumentSource
        var schema: PlanSchema
        var snapshots: SnapshotPolicy
        var decoder: JSONTokenDecoder
        var continuing: PartialPlan<Metadata, Day>?
        var maximumReconnects: Int
    }

    let configuration: Configuration
    let state: StreamState<Metadata, Day>
    let continuation: AsyncThrowingStream<PlanEvent<Metadata, Day>, any Error>.Continuation

    func run(_ connect: (_ lastEventID: String?) -> ResponseBody) async {
        let reader = PlanResponseReader<Metadata, Day>(
            format: configuration.format, document: configuration.document, schema: configuration.schema,
            snapshots: configuration.snapshots, decoder: configuration.decoder, continuing: configuration.continuing)
        var interruption = await read(connect(nil), with: reader)
        var reconnects = 0
        while reconnects < configuration.maximumReconnects, !Task.isCancelled,
              let lastEventID = reader.resumableEventID, isResumable(interruption, reader) {
            reconnects += 1
            try? await Task.sleep(for: reader.reconnectionDelay ?? .seconds(1))
            reader.reconnected()
            interruption = await read(connect(lastEventID), with: reader, isReconnection: true)
        }

        // The end: the completed plan, or the partial plan and the reason.
        let parser = reader.parser
        var last = parser.finish()
        let completed: Bool
        if case .completed? = last.last { completed = true } else { completed = false }
        if case .partial(var partial)? = last.last, !reader.receivedText {
            // No document text arrived: there is nothing to blame on the document's JSON.
            partial.error = nil
            last[last.count - 1] = .partial(partial)
        }
        for event in last {
            if case .partial(let partial) = event { state.record(partial) }
            continuation.yield(event)
        }
        // A complete document is a complete plan, whatever the finish reason says.
        if completed, interruption == nil {
            continuation.finish()
            return
        }
        continuation.finish(throwing: PlanStreamInterruption(
            reason: interruption ?? reader.providerStop ?? .endedEarly, daysCompleted: state.partialPlan?.nextDayIndex ?? 0,
            receivedDocumentText: reader.receivedText))
    }

    /// A relay stream resumes when its connection was lost, or closed before the relay said
    /// `complete` or `partial`.
    private func isResumable(_ interruption: PlanStreamInterruption.Reason?, _ reader: PlanResponseReader<Metadata, Day>) -> Bool {
        guard let interruption else { return reader.finishReason == nil }
        return interruption.kind == .connectionLost
    }

    /// Reads one connection's body; returns why it stopped early, or `nil` when it ended.
    private func read(_ body: ResponseBody, with reader: PlanResponseReader<Metadata, Day>,
                      isReconnection: Bool = false) async -> PlanStreamInterruption.Reason? {
        let parser = reader.parser
        func yield(_ event: PlanEvent<Metadata, Day>) {
            continuation.yield(event)
            if PlanResponseReader.completesAPart(event) { state.record(parser.partialPlan) }
        }
        do {
            // The Content-Type is known once the first chunk is (the transports set it first).
            var isFirst = !isReconnection
            try await body.read { chunk in
                state.touch()
                if isFirst {
                    isFirst = false
                    reader.begin(contentType: body.contentType())
                }
                try reader.read(chunk, yield)
                if let usage = reader.usage { state.record(usage: usage) }
            }
            if isFirst { reader.begin(contentType: body.contentType()) }
            try reader.endOfBody(yield)
            if let usage = reader.usage { state.record(usage: usage) }
        } catch let stop as StreamStop {
            return stop.reason
        } catch let error as HTTPStatusError {
            return .httpStatus(error.status, body: error.body)
        } catch is CancellationError {
            return state.timeout ?? .cancelled
        } catch let error as URLError where error.code == .cancelled {
            return state.timeout ?? .cancelled
        } catch let error as URLError {
            return .connectionLost(error.localizedDescription)
        } catch let error as JSONParseError {
            return .invalidStream("payload is not JSON: \(error)")
        } catch {
            return Task.isCancelled ? (state.timeout ?? .cancelled) : .invalidStream("\(error)")
        }
        if Task.isCancelled { return state.timeout ?? .cancelled }
        return nil
    }
}
