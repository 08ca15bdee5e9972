import FuzzSupport
import JSONFuzzInvariants
import IncrementalJSON
import PlanStream

extension FuzzInvariants {
    /// Snapshots: for the input fed byte by byte and in the derived chunks, every `daySnapshot`
    /// and `metadataSnapshot` keeps the contract of ``JSONPartialValue`` — against the value's
    /// previous snapshot and against the value it completes as — no snapshot of a day follows its
    /// `dayCompleted`, and the chunked run's snapshots are states the byte-by-byte run went
    /// through. A document that repeats a key is skipped (the later member replaces the earlier).
    public static func checkSnapshots(_ input: [UInt8]) {
        guard !repeatsAKey(input) else { return }
        let dripped = snapshotTrace(input, cuts: input.isEmpty ? [] : Array(1..<input.count))
        let chunked = snapshotTrace(input, cuts: derivedCuts(input))
        require(dripped.completed == chunked.completed, "chunked and byte-by-byte runs complete different values", input)
        for trace in [dripped, chunked] {
            if let problem = snapshotContractViolation(trace) { require(false, problem, input) }
        }
        let seen = Set(dripped.snapshots.map { SnapshotKey(value: $0.value, partial: $0.partial) })
        for snapshot in chunked.snapshots {
            require(seen.contains(SnapshotKey(value: snapshot.value, partial: snapshot.partial)),
                    "a chunked snapshot of \(snapshot.value) is not a state of the byte-by-byte run", input)
        }
    }

    /// Which value a snapshot shows: a day by index, or the metadata.
    public enum SnapshotSubject: Hashable, Sendable {
        case metadata
        case day(Int)
    }

    private struct SnapshotKey: Hashable {
        var value: SnapshotSubject
        var partial: JSONPartialValue
    }

    /// The snapshots and completed values of one run, in event order.
    public struct SnapshotTrace: Sendable {
        public var snapshots: [(value: SnapshotSubject, partial: JSONPartialValue)] = []
        public var completed: [SnapshotSubject: JSONValue] = [:]
        /// Where each completed value's event came, among the snapshots (its position in `snapshots`).
        public var completedAfter: [SnapshotSubject: Int] = [:]
    }

    /// Feeds `input` split at `cuts` to a plan parser that snapshots every change (lenient, `JSONValue` parts).
    public static func snapshotTrace(_ input: [UInt8], cuts: [Int]) -> SnapshotTrace {
        var schema = PlanSchema()
        schema.parserOptions = .llm
        let parser = PlanStreamParser(schema: schema, metadata: JSONValue.self, day: JSONValue.self, snapshots: .everyChange)
        var trace = SnapshotTrace()
        func record(_ event: PlanEvent<JSONValue, JSONValue>) {
            switch event {
            case .metadataSnapshot(let partial): trace.snapshots.append((.metadata, partial))
            case .daySnapshot(let index, let partial): trace.snapshots.append((.day(index), partial))
            case .metadataReady(let value, _):
                trace.completed[.metadata] = value
                trace.completedAfter[.metadata] = trace.snapshots.count
            case .dayCompleted(let index, let value, _):
                trace.completed[.day(index)] = value
                trace.completedAfter[.day(index)] = trace.snapshots.count
            default: break
            }
        }
        var start = 0
        let ascending = cuts.filter { cut in
            guard cut >= start else { return false }
            start = cut
            return true
        }
        for event in events(of: parser, fedWith: pieces(of: input, at: ascending)) { record(event) }
        return trace
    }

    /// Every event `parser` gives for `pieces` pushed one at a time, up to the first error, then
    /// those of `finish()`.
    static func events<Metadata, Day>(of parser: PlanStreamParser<Metadata, Day>,
                                      fedWith pieces: [ArraySlice<UInt8>]) -> [PlanEvent<Metadata, Day>] {
        var events: [PlanEvent<Metadata, Day>] = []
        for piece in pieces {
            parser.push(piece)
            while let event = try? parser.nextEvent() { events.append(event) }
            if parser.error != nil { break }
        }
        return events + parser.finish()
    }

    /// The first broken promise in `trace`, or `nil`.
    public static func snapshotContractViolation(_ trace: SnapshotTrace) -> String? {
        var previous: [SnapshotSubject: JSONPartialValue] = [:]
        for (position, (subject, partial)) in trace.snapshots.enumerated() {
            if let completedAt = trace.completedAfter[subject], completedAt <= position {
                return "a snapshot of \(subject) after its completion"
            }
            if let final = trace.completed[subject], let problem = growthViolation(partial, into: final) {
                return "snapshot \(position) of \(subject) does not grow into the completed value: \(problem)"
            }
            if let earlier = previous[subject], let problem = growthViolation(earlier, into: partial.value) {
                return "snapshot \(position) of \(subject) does not grow from the previous one: \(problem)"
            }
            previous[subject] = partial
        }
        return nil
    }

    /// Why `partial` is not a state that `later` grows from, or `nil`: members off the open path
    /// are equal in both; on it, strings are prefixes, arrays and objects only gain members.
    /// Iterative, whatever the depth.
    public static func growthViolation(_ partial: JSONPartialValue, into later: JSONValue) -> String? {
        let open = partial.openPath.components
        var stack: [(partial: JSONValue, later: JSONValue, depth: Int, onOpenPath: Bool)] = [(partial.value, later, 0, true)]
        while let (a, b, depth, onOpenPath) = stack.popLast() {
            guard onOpenPath else {
                if a != b { return "a complete member changed: \(a.serialized()) → \(b.serialized())" }
                continue
            }
            let next = depth < open.count ? open[depth] : nil
            switch (a, b) {
            case (.string(let x), .string(let y)):
                guard depth == open.count ? y.unicodeScalars.starts(with: x.unicodeScalars) : x == y else {
                    return "a string did not grow at its end: \(JSONValue.string(x).serialized()) → \(JSONValue.string(y).serialized())"
                }
            case (.array(let x), .array(let y)):
                guard x.count <= y.count else { return "an array lost elements" }
                for (index, element) in x.enumerated() {
                    stack.append((element, y[index], depth + 1, next == .index(index)))
                }
            case (.object(let x), .object(let y)):
                for (key, member) in x {
                    guard let laterMember = y[key] else { return "member \(key) disappeared" }
                    stack.append((member, laterMember, depth + 1, next == .key(key)))
                }
            default:
                if a != b { return "a value changed: \(a.serialized()) → \(b.serialized())" }
            }
        }
        return nil
    }
}
