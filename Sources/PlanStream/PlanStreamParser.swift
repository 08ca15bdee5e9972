import Foundation
import IncrementalJSON

/// Reads a plan while it is being written and reports each part the moment it is complete.
///
/// ```swift
/// let parser = PlanStreamParser()                       // PlanMetadata and PlanDay, default schema
/// for chunk in chunks {
///     for event in try parser.feed(chunk) {
///         if case .dayCompleted(let index, let day, _) = event { show(day, index) }
///     }
/// }
/// for event in parser.finish() { handle(event) }       // .completed(plan) or .partial(partial)
/// ```
///
/// Generic over the caller's `Decodable` metadata and day types (`JSONValue` for any shape).
/// A day that does not decode is reported with its raw JSON and the stream goes on. At an
/// invalid byte the parser fails for good: `feed` returns the events completed before it, then
/// throws, and so does every later call; ``partialPlan`` and ``finish()`` still hold every
/// completed day.
///
/// With a ``SnapshotPolicy``, the day being written is reported live — `daySnapshot` events
/// whose values only grow, built from the tokens as they arrive:
///
/// ```swift
/// let parser = PlanStreamParser(snapshots: .everyChange)
/// for event in try parser.feed(chunk) {
///     if case .daySnapshot(let index, let partial) = event {
///         let draft = try? partial.decode(DayDraft.self)   // a Decodable whose properties are optional
///         preview(draft?.title, at: index)                   // the title appears as it is written
///     }
/// }
/// ```
///
/// Cost: every input byte is scanned once; per chunk, the work is proportional to the chunk and
/// to the values it completes (decoding a day once), never to what arrived before. A snapshot
/// costs O(depth) when the caller let go of the previous one (the open containers are shared with
/// it, not copied), O(depth + the widths of the open containers) when it keeps them all. The
/// parser keeps the bytes received (a plan is what the caller keeps anyway), so that a partial
/// plan is the input's own bytes, never re-encoded.
public final class PlanStreamParser<Metadata: Decodable, Day: Decodable> {
    public let schema: PlanSchema

    /// When the day or metadata being written is reported.
    public var snapshots: SnapshotPolicy { snapshotSchedule.policy }

    let matcher: JSONMatcher
    /// Decodes the days and the metadata, with the caller's strategies.
    private let decoder: JSONTokenDecoder
    @exclusivity(unchecked) private var receivedBytes = ReceivedBytesAppender()
    /// The bytes received so far, as a value handed out now holds them.
    var received: ReceivedBytes { receivedBytes.bytes }
    var receivedCount: Int { receivedBytes.count }
    @exclusivity(unchecked) private var snapshotSchedule: SnapshotSchedule
    private var hasShownSnapshotSincePush = false
    @exclusivity(unchecked) private var pending: [PlanEvent<Metadata, Day>] = []
    @exclusivity(unchecked) private var pendingIndex = 0
    private var inputEnded = false
    private var finished = false

    var metadata: Metadata?
    var days: [Day] = []
    var failedDays: [Plan<Metadata, Day>.FailedDay] = []
    /// Each completed day's byte range, and the trailing commas accepted in them (ascending): a
    /// continuation's merged document holds the days without those commas.
    var dayRanges: [Range<Int>] = []
    var dayRangesOmittedCommas: [Int] = []
    var dayNumbers: [Int: Int] = [:]
    var expectedDays: Int?
    var daysCompleted = 0
    private var openDayOrdinal: Int?
    /// The plan cut just after the last completed part, kept for when the input turns invalid.
    var lastGoodRepair: JSONRepair?
    /// Whether `lastGoodRepair` was cut inside the days array (after a day) rather than after the metadata.
    var lastGoodRepairInsideDays = false
    var failure: JSONParseError? {
        didSet { hasFailed = failure != nil }
    }
    /// `failure != nil`, read per event without copying the error.
    private var hasFailed = false
    /// The first stream of a continuation.
    let base: PartialPlan<Metadata, Day>?
    /// With `base`: its parts followed by this stream's, extended by what completed since the last
    /// partial plan (merging them whole each time would cost O(days) per partial plan).
    var mergedParts: MergedParts<Metadata, Day>?
    /// The index of this stream's first day (the days of the stream it continues come before).
    let firstDayIndex: Int
    /// Whether the metadata came with the stream this one continues (this stream's is ignored).
    private let hasBaseMetadata: Bool

    static var metadataPattern: Int { 0 }
    static var dayPattern: Int { 1 }
    private static var dayNumberPattern: Int { 2 }
    private static var expectedDaysPattern: Int { 3 }

    /// A parser for the caller's types. Values decode with `decoder` — set its strategies (snake-case
    /// keys, ISO 8601 dates) there, or make one from a configured `JSONDecoder`
    /// (`try JSONTokenDecoder(jsonDecoder)`).
    public init(schema: PlanSchema = PlanSchema(), metadata: Metadata.Type = Metadata.self, day: Day.Type = Day.self,
                decoder: JSONTokenDecoder = JSONTokenDecoder(), snapshots: SnapshotPolicy = .off) {
        self.schema = schema
        self.decoder = decoder
        self.snapshotSchedule = SnapshotSchedule(policy: snapshots)
        self.base = nil
        self.firstDayIndex = 0
        self.hasBaseMetadata = false
        self.matcher = Self.makeMatcher(schema, snapshots: snapshots)
        if case .fixed(let count) = schema.expectedDays { expectedDays = count }
    }

    /// A parser for a second stream that carries the days after `partial`: its days are indexed
    /// from `partial.nextDayIndex`, and `completed` holds the merged plan. The second stream may
    /// number its days from where the first stopped or from 1.
    public init(continuing partial: PartialPlan<Metadata, Day>, schema: PlanSchema = PlanSchema(),
                decoder: JSONTokenDecoder = JSONTokenDecoder(), snapshots: SnapshotPolicy = .off) {
        self.schema = schema
        self.decoder = decoder
        self.snapshotSchedule = SnapshotSchedule(policy: snapshots)
        self.base = partial
        self.firstDayIndex = partial.nextDayIndex
        self.hasBaseMetadata = partial.metadata != nil
        self.matcher = Self.makeMatcher(schema, snapshots: snapshots)
        self.expectedDays = partial.expectedDays
        if case .fixed(let count) = schema.expectedDays { expectedDays = count }
    }

    private static func makeMatcher(_ schema: PlanSchema, snapshots: SnapshotPolicy) -> JSONMatcher {
        let never = JSONPathPattern(components: [.key("\u{0}never")])
        var numberPath = schema.dayPath
        if let key = schema.dayNumberKey { numberPath.components.append(.key(key)) } else { numberPath = never }
        var expectedPath = never
        if case .path(let path) = schema.expectedDays { expectedPath = path }
        // Built live, the open value costs little to show; for `JSONValue` days the live tree
        // is also the completed day, so building it replaces a second read of the day's bytes.
        let live = snapshots != .off || Day.self == JSONValue.self
        var options = schema.parserOptions
        // Paths that start with a key find nothing in a document that is not an object: a `[1]`
        // cited in the prose before the plan is prose, not the document.
        if [schema.metadataPath, schema.dayPath].allSatisfy({ $0.startsWithKey }) { options.leadingProseEndsAtObject = true }
        let matcher = JSONMatcher(patterns: [schema.metadataPath, schema.dayPath, numberPath, expectedPath],
                                  options: options, buildsPartialValues: live)
        // The metadata and each day decode from the tokens recorded as they were scanned, not
        // from a second parse of their bytes (a `JSONValue` is built, not decoded).
        if Metadata.self != JSONValue.self { matcher.recordsTokens |= 1 << UInt64(metadataPattern) }
        if Day.self != JSONValue.self { matcher.recordsTokens |= 1 << UInt64(dayPattern) }
        return matcher
    }

    // MARK: - Input

    /// Appends bytes; the events they complete come from ``nextEvent()``. Cost: the bytes' copy
    /// into the parser and into the received text (shared with the partial plans handed out).
    public func push(_ bytes: UnsafeRawBufferPointer) {
        receivedBytes.append(bytes)
        matcher.push(bytes)
        hasShownSnapshotSincePush = false
    }

    /// Appends bytes; the events they complete come from ``nextEvent()``.
    @inlinable
    public func push(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { push(UnsafeRawBufferPointer($0)) }
        if handled == nil { Array(bytes).withUnsafeBytes { push($0) } }
    }

    /// Appends the UTF-8 bytes of `text`.
    public func push(_ text: String) {
        var text = text
        text.withUTF8 { push(UnsafeRawBufferPointer($0)) }
    }

    /// Marks the end of the input: the last event will be `completed` or `partial`.
    public func endInput() {
        inputEnded = true
    }

    /// Pushes `bytes` and returns the events they complete. At invalid JSON, returns the events
    /// before it (if any; otherwise throws), and every later call throws: nothing completed is lost.
    public func feed(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> [PlanEvent<Metadata, Day>] {
        push(bytes)
        return try drain()
    }

    /// Pushes the UTF-8 bytes of `text` and returns the events they complete.
    public func feed(_ text: String) throws(JSONParseError) -> [PlanEvent<Metadata, Day>] {
        push(text)
        return try drain()
    }

    /// Ends the input and returns the last events, ending with `completed` or `partial`.
    public func finish() -> [PlanEvent<Metadata, Day>] {
        endInput()
        var events: [PlanEvent<Metadata, Day>] = []
        while true {
            do {
                guard let event = try nextEvent() else { return events }
                events.append(event)
            } catch {
                continue   // recorded; the next call delivers the partial plan
            }
        }
    }

    /// The events the input completes. At invalid JSON, the events before it are returned first
    /// and the next call throws (the parser stays failed), so that none is lost.
    private func drain() throws(JSONParseError) -> [PlanEvent<Metadata, Day>] {
        var events: [PlanEvent<Metadata, Day>] = []
        do {
            while let event = try nextEvent() { events.append(event) }
        } catch {
            if events.isEmpty { throw error }
        }
        return events
    }

    // MARK: - Events

    /// The next event, or `nil` when the bytes pushed so far complete nothing more. After
    /// ``endInput()`` the last event is `completed` or `partial`, then `nil`.
    ///
    /// Cost: the scan of the bytes pushed, one decode per completed day or metadata, and per
    /// snapshot O(depth), or O(depth + the widths of the open containers) while the caller keeps the
    /// previous one. Nothing grows with what arrived
    /// before, except `completed` at the end, which carries the document's text.
    @_specialize(exported: true, where Metadata == PlanMetadata, Day == PlanDay)
    @_specialize(exported: true, where Metadata == JSONValue, Day == JSONValue)
    public func nextEvent() throws(JSONParseError) -> PlanEvent<Metadata, Day>? {
        while true {
            if pendingIndex < pending.count {
                let event = pending[pendingIndex]
                pendingIndex += 1
                if pendingIndex == pending.count {
                    pending.removeAll(keepingCapacity: true)
                    pendingIndex = 0
                }
                return event
            }
            if finished { return nil }
            if hasFailed {
                // The parser stays failed: every call says why, until the input ends.
                if !inputEnded, let failure { throw failure }
                finished = true
                pending.append(.partial(partialPlan))
                continue
            }
            // A snapshot is shown only once the bytes pushed are scanned: until the next push,
            // there is nothing more to scan.
            if hasShownSnapshotSincePush && !inputEnded { return nil }
            do {
                if let match = try matcher.nextMatch() {
                    handle(match)
                    continue
                }
            } catch {
                failure = error
                throw error
            }
            guard inputEnded else {
                guard snapshotSchedule.isOn else { return nil }
                let snapshot = takeSnapshotIfDue()
                hasShownSnapshotSincePush = snapshot != nil
                return snapshot
            }
            try endOfInput()
        }
    }

    /// At the end of the input: a complete document, or a cut one whose partial plan is taken
    /// from the live state before the parser is told the input ended.
    private func endOfInput() throws(JSONParseError) {
        let snapshot = matcher.parser.isComplete ? nil : partialPlan
        matcher.endInput()
        do {
            while let match = try matcher.nextMatch() { handle(match) }
        } catch {
            finished = true
            if error.reason.isEndOfInput, var snapshot {
                snapshot.error = nil
                pending.append(.partial(snapshot))
                return
            }
            failure = error
            pending.append(.partial(partialPlan))
            return
        }
        finished = true
        pending.append(.completed(completedPlan()))
    }

    /// The snapshot of the value being written, when the policy asks for one and it changed.
    private func takeSnapshotIfDue() -> PlanEvent<Metadata, Day>? {
        guard snapshotSchedule.isOn, let open = matcher.outermostOpenCapture else { return nil }
        let isDay = open.patternIndex == Self.dayPattern
        guard isDay || (open.patternIndex == Self.metadataPattern && !hasBaseMetadata),
              snapshotSchedule.isDue(start: open.startOffset, mark: matcher.partialValueMark, receivedCount: receivedCount),
              let partial = matcher.outermostPartialValue()
        else { return nil }
        return isDay ? .daySnapshot(index: firstDayIndex + open.ordinal, partial: partial) : .metadataSnapshot(partial)
    }

    private func handle(_ match: JSONMatch) {
        switch (match.patternIndex, match.phase) {
        case (Self.metadataPattern, .completed) where !hasBaseMetadata:
            let raw = rawJSON(of: match)
            do {
                let value = try decode(Metadata.self, from: match)
                metadata = value
                pending.append(.metadataReady(value, raw: raw))
            } catch {
                pending.append(.metadataFailed(PlanDecodingFailure(error), raw: raw))
            }
            lastGoodRepair = try? matcher.parser.repair(keptDepth: match.path.components.count)
            lastGoodRepairInsideDays = false
        case (Self.dayPattern, .started):
            openDayOrdinal = match.ordinal
            pending.append(.dayStarted(index: firstDayIndex + match.ordinal, offset: match.startOffset))
        case (Self.dayPattern, .completed):
            let raw = rawJSON(of: match)
            let index = firstDayIndex + match.ordinal
            do {
                let day = try decode(Day.self, from: match)
                days.append(day)
                pending.append(.dayCompleted(index: index, day: day, raw: raw))
            } catch {
                let failure = PlanDecodingFailure(error)
                failedDays.append(.init(index: index, error: failure, rawJSON: raw.text))
                pending.append(.dayFailed(index: index, error: failure, raw: raw))
            }
            dayRanges.append(raw.range)
            dayRangesOmittedCommas += raw.omittedCommas
            daysCompleted += 1
            openDayOrdinal = nil
            lastGoodRepair = try? matcher.parser.repair(keptDepth: match.path.components.count)
            lastGoodRepairInsideDays = true
            pending.append(.progress(progress))
        case (Self.dayNumberPattern, .completed):
            if let ordinal = openDayOrdinal, let number = matcher.value(of: match).numberValue?.int {
                dayNumbers[firstDayIndex + ordinal] = number
            }
        case (Self.expectedDaysPattern, .completed):
            if expectedDays == nil, let count = matcher.value(of: match).numberValue?.int, count >= 0 {
                expectedDays = count
                // Progress changed: a bar (and a relay's day_complete total) knows the length
                // before the first day completes.
                pending.append(.progress(progress))
            }
        default:
            break
        }
    }

    /// A completed value's raw JSON, without the trailing commas the parser accepted in it.
    private func rawJSON(of match: JSONMatch) -> RawJSON {
        RawJSON(match.startOffset..<match.endOffset,
                omitting: matcher.parser.acceptedTrailingCommas(from: match.startOffset, to: match.endOffset), in: received)
    }

    private func decode<T: Decodable>(_ type: T.Type, from match: JSONMatch) throws -> T {
        try matcher.decode(type, from: match, using: decoder)
    }


    /// The error that made the input invalid, if any: every later event is the partial plan.
    public var error: JSONParseError? { failure }

    /// Where the stream stands. Cost: O(1).
    public var progress: PlanProgress {
        PlanProgress(bytesReceived: receivedCount, daysCompleted: firstDayIndex + daysCompleted,
                     expectedDays: expectedDays)
    }
}

extension PlanStreamParser where Metadata == PlanMetadata, Day == PlanDay {
    /// A parser for the ready-made models of the seed's plan.
    public convenience init(schema: PlanSchema = PlanSchema(), snapshots: SnapshotPolicy = .off) {
        self.init(schema: schema, metadata: PlanMetadata.self, day: PlanDay.self, snapshots: snapshots)
    }
}

private extension JSONPathPattern {
    /// Whether the pattern's first step is a member of an object.
    var startsWithKey: Bool {
        switch components.first {
        case .key?, .anyKey?: return true
        default: return false
        }
    }
}
