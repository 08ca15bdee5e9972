/// When a plan stream reports the day (or the metadata) being written: `daySnapshot` and
/// `metadataSnapshot` events.
///
/// ```swift
/// let parser = PlanStreamParser(snapshots: .everyChange)              // a terminal, a test
/// let ui = PlanStreamParser(snapshots: .atMost(every: .milliseconds(100)))   // a UI redraws at most 10×/s
/// let relay = PlanStreamParser(snapshots: .atMost(everyBytes: 512))   // a server relays to browsers
/// ```
///
/// A snapshot is taken after a chunk's other events, at most one per chunk, and only when the
/// chunk changed the open value (a whitespace-only chunk, or one that only advanced a number,
/// changes nothing visible). Throttling is leading-edge: the first change after the interval is
/// reported with the chunk that brought it.
public struct SnapshotPolicy: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case off
        case everyChange
        case atMostEvery(Duration)
        case atMostEveryBytes(Int)
    }

    let kind: Kind

    /// No snapshots (the default).
    public static var off: SnapshotPolicy { SnapshotPolicy(kind: .off) }
    /// After every chunk that changed the open value.
    public static var everyChange: SnapshotPolicy { SnapshotPolicy(kind: .everyChange) }
    /// After a chunk that changed the open value, when `interval` has passed since the last one.
    public static func atMost(every interval: Duration) -> SnapshotPolicy { SnapshotPolicy(kind: .atMostEvery(interval)) }
    /// After a chunk that changed the open value, when `bytes` bytes arrived since the last one.
    public static func atMost(everyBytes bytes: Int) -> SnapshotPolicy { SnapshotPolicy(kind: .atMostEveryBytes(bytes)) }
}
