import Synchronization

/// The bytes a plan stream received. The parser appends; the partial plans it hands out keep a
/// reference and a length, and read their prefix — which never changes — only when asked for
/// their JSON. So handing out a partial plan copies nothing, on any task.
final class ReceivedBytes: Sendable {
    private let storage = Mutex<[UInt8]>([])

    func append(_ bytes: UnsafeRawBufferPointer) {
        storage.withLock { $0.append(contentsOf: bytes) }
    }

    /// Calls `body` with the bytes in `range`, which must have been received.
    func withBytes<Result>(in range: Range<Int>, _ body: (ArraySlice<UInt8>) -> Result) -> Result {
        storage.withLock { body($0[range]) }
    }
}
