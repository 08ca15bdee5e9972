import IncrementalJSON
import PlanStream

/// Body chunks → the document's text → plan events: everything the client does per chunk, without
/// the network, so that the client and the benchmark run the same code.
///
/// Cost per chunk: the chunk's bytes through the body reader and the plan parser, and the events
/// it completes; nothing that grows with what arrived before.
package final class PlanResponseReader<Metadata: Decodable & Sendable, Day: Decodable & Sendable> {
    package let parser: PlanStreamParser<Metadata, Day>
    // Unchecked: written per chunk, never during a call that reads them (the checks cost ~300
    // instructions per chunk, callgrind).
    @exclusivity(unchecked) private var body: StreamBodyReader
    @exclusivity(unchecked) private var hasBegun = false
    /// A chunk's signals: one array for every chunk.
    @exclusivity(unchecked) private var signals: [StreamBodyReader.Signal] = []
    /// The provider's last finish reason.
    @exclusivity(unchecked) package private(set) var finishReason: FinishReason?
    /// Whether any document text arrived.
    @exclusivity(unchecked) package private(set) var receivedText = false
    /// The provider's latest token counts.
    @exclusivity(unchecked) package private(set) var usage: JSONValue?
    /// The model's refusal, when it gave one instead of (or besides) the document.
    @exclusivity(unchecked) package private(set) var refusal: String?

    package init(format: StreamFormat, document: DocumentSource = .text, schema: PlanSchema,
                 snapshots: SnapshotPolicy, decoder: JSONTokenDecoder = JSONTokenDecoder(),
                 continuing partial: PartialPlan<Metadata, Day>? = nil) {
        if let partial {
            parser = PlanStreamParser(continuing: partial, schema: schema, decoder: decoder, snapshots: snapshots)
        } else {
            parser = PlanStreamParser(schema: schema, metadata: Metadata.self, day: Day.self, decoder: decoder,
                                      snapshots: snapshots)
        }
        body = StreamBodyReader(format: format, document: document)
    }

    /// The response's `Content-Type`, before the first chunk: it decides how the body is framed.
    package func begin(contentType: String?) {
        guard !hasBegun else { return }
        hasBegun = true
        body = StreamBodyReader(format: body.format, document: body.document, contentType: contentType)
    }

    /// Whether a lost connection can be resumed: a relay stream whose events carry ids.
    package var resumableEventID: String? {
        body.provider == .relay && !body.lastEventID.isEmpty ? body.lastEventID : nil
    }

    /// The delay the server asked for before a reconnection (`retry:`).
    package var reconnectionDelay: Duration? { body.retry.map { .milliseconds($0) } }

    /// The next connection continues the body where the last event ended.
    package func reconnected() { body.reconnected() }

    /// Reads a chunk of the body and hands each plan event it completes to `yield`. Throws why the
    /// stream must stop: a provider error, a malformed payload, invalid JSON in the document.
    @_specialize(exported: true, where Metadata == PlanMetadata, Day == PlanDay)
    @_specialize(exported: true, where Metadata == JSONValue, Day == JSONValue)
    package func read(_ chunk: [UInt8],
                      _ yield: (PlanEvent<Metadata, Day>) -> Void) throws(StreamStop) {
        hasBegun = true
        while signals.popLast() != nil {}   // what a chunk that threw left
        body.feed(chunk, into: &signals)
        // Each signal moved out, in order, and handed on: a loop over the array copied each one
        // (and its text's storage, retained and released), and emptying it destroyed them again.
        if signals.count > 1 { signals.reverse() }
        while let signal = signals.popLast() { try handle(signal, yield) }
    }

    /// Whether `event` completed a part of the plan — the moment the client records the partial
    /// plan (what a reader of `partialPlan` can rely on changes only then), never per chunk.
    package static func completesAPart(_ event: PlanEvent<Metadata, Day>) -> Bool {
        switch event {
        case .metadataReady, .metadataFailed, .dayCompleted, .dayFailed: return true
        default: return false
        }
    }

    /// Reads the end of the body (an event without its final blank line, a last NDJSON line).
    package func endOfBody(_ yield: (PlanEvent<Metadata, Day>) -> Void) throws(StreamStop) {
        for signal in body.finish() { try handle(signal, yield) }
    }

    /// Why the stream ended early, from what the provider said (`nil`: it said nothing).
    package var providerStop: PlanStreamInterruption.Reason? {
        if let finishReason, finishReason.kind != .complete {
            if !receivedText, let refusal { return .refused(refusal) }
            return finishReason.kind == .truncated ? .truncated(finishReason) : .stopped(finishReason)
        }
        if !receivedText { return refusal.map { .refused($0) } ?? .noDocumentText(finishReason) }
        return nil
    }

    private func handle(_ signal: consuming StreamBodyReader.Signal,
                        _ yield: (PlanEvent<Metadata, Day>) -> Void) throws(StreamStop) {
        switch signal {
        case .text(let bytes):
            receivedText = true
            parser.push(bytes)
            do {
                // Not `while let`: that destroyed the final `nil` through the generic value
                // witness (~60 instructions per chunk) in the merged specializations.
                events: while true {
                    switch try parser.nextEvent() {
                    case .some(let event): yield(event)
                    case .none: break events
                    }
                }
            } catch {
                throw StreamStop(reason: .invalidJSON(error))
            }
        case .finished(let reason):
            finishReason = reason
        case .providerError(let error):
            throw StreamStop(reason: .providerError(error))
        case .malformed(let message):
            throw StreamStop(reason: .invalidStream(message))
        case .usage(let usage):
            self.usage = usage
        case .refusal(let text):
            refusal = (refusal ?? "") + text
        case .status:
            break
        }
    }
}

/// Why a stream must stop, thrown by ``PlanResponseReader``.
package struct StreamStop: Error {
    package var reason: PlanStreamInterruption.Reason
}
