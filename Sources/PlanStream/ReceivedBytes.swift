import IncrementalJSON

/// Bytes a plan stream received, as the partial plans and raw JSON handed out hold them: a
/// reference and a range, read only when asked for their JSON. So handing one out copies
/// nothing, on any task.
///
/// Sendable without a lock because no byte a reader can ask for ever changes: the parser
/// (``ReceivedBytesAppender``) writes only past every range it has handed out, and it moves to a
/// new `ReceivedBytes` to grow rather than moving these. A reader's range was received before the
/// value holding it was made, on the parser's task, so the value's hand-over orders the two.
final class ReceivedBytes: @unchecked Sendable {
    fileprivate let start: UnsafeMutablePointer<UInt8>
    fileprivate let capacity: Int

    fileprivate init(capacity: Int) {
        self.start = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    deinit {
        start.deallocate()
    }

    /// Calls `body` with the bytes in `range`, which must have been received when the range was
    /// handed out; valid only inside `body`.
    func withBytes<Result>(in range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        precondition(range.lowerBound >= 0 && range.upperBound <= capacity, "bytes not received")
        return body(UnsafeBufferPointer(start: start + range.lowerBound, count: range.count))
    }
}

/// The parser's side of ``ReceivedBytes``: appends without a lock or a reference count — a copy,
/// once per push (a model's chunk is a few bytes, so a lock's two atomic operations would cost
/// more than the copy).
struct ReceivedBytesAppender {
    /// The bytes received so far: what a value handed out now refers to.
    private(set) var bytes = ReceivedBytes(capacity: 4096)
    /// The number of bytes received.
    private(set) var count = 0

    /// Cost: a copy of `newBytes`; when the bytes double, one of all the bytes before, into a
    /// new ``ReceivedBytes``. The old one stays, unchanged, as long as a value handed out holds
    /// it: all the old ones together are smaller than the current one, as capacities double.
    mutating func append(_ newBytes: UnsafeRawBufferPointer) {
        guard let source = newBytes.baseAddress, !newBytes.isEmpty else { return }
        let needed = count + newBytes.count
        if needed > bytes.capacity { grow(toHold: needed) }
        (bytes.start + count).copyChunk(from: source, count: newBytes.count)
        count = needed
    }

    private mutating func grow(toHold needed: Int) {
        let grown = ReceivedBytes(capacity: max(bytes.capacity * 2, needed))
        grown.start.initialize(from: bytes.start, count: count)
        bytes = grown
    }
}
