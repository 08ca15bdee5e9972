import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// Streams a response body chunk by chunk through a `URLSessionDataDelegate` — the way that works
/// on Linux (FoundationNetworking has no `bytes(for:)`) and on Apple platforms. One session per
/// request: on Linux only a session-level delegate receives the body as it arrives.
enum URLSessionByteStream {
    /// The body of `request` in chunks, and its Content-Type (known before the first chunk).
    /// Cancelling the consumer cancels the request.
    static func body(for request: URLRequest, maximumErrorBody: Int = 64 << 10) -> ResponseBody {
        let contentType = Mutex<String?>(nil)
        let chunks = AsyncThrowingStream<[UInt8], any Error> { continuation in
            let delegate = Delegate(continuation: continuation, maximumErrorBody: maximumErrorBody) { type in
                contentType.withLock { $0 = type }
            }
            let queue = OperationQueue()
            queue.maxConcurrentOperationCount = 1
            let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: queue)
            let task = session.dataTask(with: request)
            continuation.onTermination = { _ in
                task.cancel()
                session.invalidateAndCancel()
            }
            task.resume()
        }
        return ResponseBody(chunks: chunks, contentType: { contentType.withLock { $0 } })
    }

    /// The delegate's callbacks run one at a time on the session's serial queue.
    private final class Delegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
        let maximumErrorBody: Int
        let receivedContentType: @Sendable (String?) -> Void
        private var errorStatus: Int?
        private var errorBody: [UInt8] = []

        init(continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation, maximumErrorBody: Int,
             receivedContentType: @escaping @Sendable (String?) -> Void) {
            self.continuation = continuation
            self.maximumErrorBody = maximumErrorBody
            self.receivedContentType = receivedContentType
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                // Read the error body (bounded) rather than cancelling: it says what went wrong.
                errorStatus = http.statusCode
            }
            // Before any chunk is yielded, so the reader sees it with the first one.
            receivedContentType((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") ?? response.mimeType)
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            if errorStatus != nil {
                errorBody += data.prefix(max(0, maximumErrorBody - errorBody.count))
            } else {
                continuation.yield(Array(data))
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            if let errorStatus {
                continuation.finish(throwing: HTTPStatusError(status: errorStatus, body: String(decoding: errorBody, as: UTF8.self)))
            } else if let error {
                continuation.finish(throwing: error)
            } else {
                continuation.finish()
            }
            session.finishTasksAndInvalidate()
        }
    }
}
