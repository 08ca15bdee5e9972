import Synchronization

/// The bytes a plan stream received. The parser appends; the partial plans it hands out keep a
/// reference and a length, and read their prefix — which never changes — only when asked for
/// their JSON. So handing out a partial plan copies nothing, on any task.
final class ReceivedBytes: Sendable {
    /// Storage of its own rather than an array: appending a model's few-byte chunk to an array
    /// went through ~110 instructions of generic machinery, once per push; this is a copy.
    /// Sendable because it is only ever touched under the lock, which is what the checker cannot see
    /// through a pointer.
    private struct Buffer: @unchecked Sendable {
        var start: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int
    }

    private let buffer: Mutex<Buffer>

    init() {
        let capacity = 4096
        buffer = Mutex(Buffer(start: .allocate(capacity: capacity), capacity: capacity))
    }

    deinit {
        buffer.withLock { $0.start.deallocate() }
    }

    /// Cost: a copy of `bytes` (and, as the bytes double, one of all the bytes before).
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        buffer.withLock { buffer in
            let needed = buffer.count + bytes.count
            if needed > buffer.capacity {
                let capacity = max(buffer.capacity * 2, needed)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                grown.initialize(from: buffer.start, count: buffer.count)
                buffer.start.deallocate()
                buffer.start = grown
                buffer.capacity = capacity
            }
            UnsafeMutableRawPointer(buffer.start + buffer.count).copyMemory(from: source, byteCount: bytes.count)
            buffer.count = needed
        }
    }

    /// Calls `body` with the bytes in `range`, which must have been received; valid only inside
    /// `body`.
    func withBytes<Result>(in range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        buffer.withLock { buffer in
            precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count, "bytes not received")
            return body(UnsafeBufferPointer(start: buffer.start + range.lowerBound, count: range.count))
        }
    }
}
