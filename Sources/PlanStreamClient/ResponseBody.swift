/// One response's body, and its Content-Type once the response has arrived.
struct ResponseBody: Sendable {
    /// Takes each chunk of the body, in order; what it throws ends the body's reading.
    typealias Consumer = (_ chunk: [UInt8]) throws -> Void

    /// Hands the body's chunks to a consumer until the body ends; throws why it ended early (the
    /// transport's error, ``HTTPStatusError``, or what the consumer threw). Called once. The
    /// consumer runs on whatever thread the transport reads on, one call at a time, never after
    /// `read` returns.
    var read: @Sendable (_ consumer: @escaping Consumer) async throws -> Void
    var contentType: @Sendable () -> String?

    /// A body delivered as an async sequence of chunks, read on the calling task.
    init<Chunks: AsyncSequence & Sendable>(chunks: Chunks, contentType: @escaping @Sendable () -> String?)
        where Chunks.Element == [UInt8]
    {
        read = { consumer in
            for try await chunk in chunks { try consumer(chunk) }
        }
        self.contentType = contentType
    }

    init(read: @escaping @Sendable (_ consumer: @escaping Consumer) async throws -> Void,
         contentType: @escaping @Sendable () -> String?) {
        self.read = read
        self.contentType = contentType
    }
}

/// A response other than 2xx: its status and the start of its body.
struct HTTPStatusError: Error {
    var status: Int
    var body: String
}
