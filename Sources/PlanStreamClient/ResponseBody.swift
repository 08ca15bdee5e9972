/// One response's body, and its Content-Type once the response has arrived.
struct ResponseBody<Chunks: AsyncSequence & Sendable>: Sendable where Chunks.Element == [UInt8] {
    var chunks: Chunks
    var contentType: @Sendable () -> String?
}

/// A response other than 2xx: its status and the start of its body.
struct HTTPStatusError: Error {
    var status: Int
    var body: String
}
