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

/// When the next snapshot is due: the policy, and what the last snapshot showed. Not generic, so
/// that it runs specialized whatever the plan's types.
struct SnapshotSchedule {
    let policy: SnapshotPolicy
    let isOn: Bool
    /// The open value's start and change mark at the last snapshot.
    private var lastStart = -1
    private var lastRevision = -1
    private var lastStringEnd = -1
    private var lastTime = ContinuousClock.now
    private var lastBytes = 0

    init(policy: SnapshotPolicy) {
        self.policy = policy
        self.isOn = policy.kind != .off
    }

    /// Whether the open value starting at `start`, whose change mark is `mark`, is to be shown
    /// now; if so, it is recorded as shown.
    mutating func isDue(start: Int, mark: (revision: Int, stringEnd: Int), receivedCount: Int) -> Bool {
        if start == lastStart && mark.revision == lastRevision && mark.stringEnd == lastStringEnd { return false }
        let first = lastStart == -1
        switch policy.kind {
        case .off:
            return false
        case .everyChange:
            break
        case .atMostEvery(let interval):
            let now = ContinuousClock.now
            guard first || now - lastTime >= interval else { return false }
            lastTime = now
        case .atMostEveryBytes(let bytes):
            guard first || receivedCount - lastBytes >= bytes else { return false }
        }
        lastStart = start
        lastRevision = mark.revision
        lastStringEnd = mark.stringEnd
        lastBytes = receivedCount
        return true
    }
}
