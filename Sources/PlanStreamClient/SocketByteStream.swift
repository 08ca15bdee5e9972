import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Streams an `http://` response body over a plain TCP socket: a model server on the machine or
/// the local network (Ollama, llama.cpp, vLLM). A model's stream is tens of thousands of tiny
/// writes; URLSession on Linux spends ~47 µs of CPU on each (FoundationNetworking's thread hops),
/// a read on a socket a few, and each read takes whatever has arrived.
///
/// A short-lived thread connects and sends the request; then ``SocketEventLoop`` reads the
/// response, for every connection on one thread, and hands the body's bytes to the consumer right
/// there. Cancelling shuts the socket down, which ends its read. The request goes out as HTTP/1.1
/// with `Connection: close`; the response is read by ``HTTPResponseParser``. Not for `https://`,
/// a proxy, redirects or a streamed request body: ``canSend(_:)`` leaves those to URLSession.
enum SocketByteStream {
    /// Whether `request` can go over a plain socket: `http://`, no proxy in the environment, no
    /// streamed body.
    static func canSend(_ request: URLRequest) -> Bool {
        guard let url = request.url, url.scheme?.lowercased() == "http", url.host != nil,
              request.httpBodyStream == nil else { return false }
        let environment = ProcessInfo.processInfo.environment
        return !["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"].contains { environment[$0]?.isEmpty == false }
    }

    /// The body of `request`, read on the event loop's thread (one read per chunk), and its
    /// Content-Type (known before the first chunk). Cancelling the reading task closes the
    /// connection.
    static func body(for request: URLRequest, maximumErrorBody: Int = 64 << 10) -> ResponseBody {
        let connection = Connection(request: request, maximumErrorBody: maximumErrorBody)
        return ResponseBody(read: { consumer in try await connection.read(consumer) },
                            contentType: { connection.contentType })
    }

    /// One request's socket and response, shared by the reading task, the connecting thread, the
    /// event loop and a cancelling task.
    private final class Connection: SocketEventLoop.Reader, @unchecked Sendable {
        // Unchecked: `state` is under its mutex. The rest is the response's reading: set up before
        // the connecting thread starts, then touched by one thread at a time — that thread until
        // it registers the socket with the loop (the loop's lock orders the hand-over), then the
        // loop's thread.
        private struct State {
            var socket: Int32 = -1
            var isCancelled = false
            var contentType: String?
            var completion: CheckedContinuation<Void, any Error>?
        }

        private let state = Mutex(State())
        private let request: URLRequest
        private let maximumErrorBody: Int
        private var consumer: ResponseBody.Consumer?
        private var parser: HTTPResponseParser
        /// Each read's body bytes: one array, emptied per read.
        private var body: [UInt8] = []
        private var errorStatus: Int?
        private var errorBody: [UInt8] = []

        init(request: URLRequest, maximumErrorBody: Int) {
            self.request = request
            self.maximumErrorBody = maximumErrorBody
            parser = HTTPResponseParser(isHeadRequest: request.httpMethod?.uppercased() == "HEAD")
        }

        var isCancelled: Bool { state.withLock { $0.isCancelled } }
        var contentType: String? { state.withLock { $0.contentType } }

        /// Connects, sends the request and hands each read's body bytes to `consumer`; returns at
        /// the end of the body. Throws a `URLError` for the connection, ``HTTPStatusError`` for a
        /// response other than 2xx, or what `consumer` threw.
        func read(_ consumer: @escaping ResponseBody.Consumer) async throws {
            self.consumer = consumer
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (completion: CheckedContinuation<Void, any Error>) in
                    state.withLock { $0.completion = completion }
                    let thread = Thread { [self] in connectAndSend() }
                    thread.name = "PlanStreamClient connect"
                    thread.start()
                }
            } onCancel: {
                cancel()
            }
        }

        /// Shuts the socket down (its read ends), or stops a connection not yet made.
        func cancel() {
            state.withLock { state in
                state.isCancelled = true
                if state.socket >= 0 { _ = shutdown(state.socket, Int32(SHUT_RDWR)) }
            }
        }

        /// On the connecting thread: connects, sends the request, and hands the socket to the loop.
        private func connectAndSend() {
            var connected: Int32 = -1
            let loop: SocketEventLoop
            do {
                loop = try SocketEventLoop.shared()
                guard let url = request.url, let host = url.host else { throw URLError(.badURL) }
                let timeout = request.timeoutInterval > 0 ? request.timeoutInterval : 60
                connected = try connect(to: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
                                        port: url.port ?? 80, timeout: timeout)
                try send(Self.message(for: request, url: url, host: host), on: connected)
            } catch {
                if connected >= 0 {
                    state.withLock { $0.socket = -1 }
                    close(connected)
                }
                finish(throwing: isCancelled ? URLError(.cancelled) : error)
                return
            }
            loop.register(connected, reader: self)
        }

        /// On the loop's thread: reads the response; hands the body's bytes to the consumer.
        func handle(_ event: SocketEventLoop.SocketEvent) -> Bool {
            do {
                // Whatever the read brought: a shut-down socket reads as its end or an error.
                if isCancelled { throw URLError(.cancelled) }
                switch event {
                case .bytes(let bytes):
                    try read(bytes)
                    if !parser.isComplete { return true }
                case .end:
                    // An error response cut short still says its status.
                    if errorStatus == nil {
                        do { try parser.endOfInput() } catch {
                            throw URLError(.networkConnectionLost, userInfo: [NSLocalizedDescriptionKey: error.description])
                        }
                    }
                case .failed(let code):
                    throw URLError(.networkConnectionLost, userInfo: [NSLocalizedDescriptionKey: "reading the response failed (errno \(code))"])
                }
                if let errorStatus {
                    throw HTTPStatusError(status: errorStatus, body: String(decoding: errorBody, as: UTF8.self))
                }
                finish(throwing: nil)
            } catch {
                finish(throwing: error)
            }
            return false
        }

        private func read(_ bytes: UnsafeRawBufferPointer) throws {
            body.removeAll(keepingCapacity: true)
            let hadHead = parser.head != nil
            do {
                try parser.parse(bytes, body: &body)
            } catch {
                throw URLError(.badServerResponse, userInfo: [NSLocalizedDescriptionKey: "\(error)"])
            }
            if !hadHead, let head = parser.head {
                // Before the first chunk is handed on, so the consumer sees it with that chunk.
                state.withLock { $0.contentType = head.value(for: "Content-Type") }
                if !(200..<300).contains(head.status) { errorStatus = head.status }
            }
            guard !body.isEmpty else { return }
            if errorStatus != nil {
                errorBody += body.prefix(max(0, maximumErrorBody - errorBody.count))
            } else {
                try consumer?(body)
            }
        }

        /// Lets go of the consumer and the socket (the loop closes a registered one), then resumes
        /// the reading task.
        private func finish(throwing error: (any Error)?) {
            consumer = nil
            let completion = state.withLock { state in
                state.socket = -1
                defer { state.completion = nil }
                return state.completion
            }
            if let error { completion?.resume(throwing: error) } else { completion?.resume() }
        }

        /// A connected socket to `host`:`port`, trying each of its addresses, within `timeout`
        /// seconds (cancellation stops the wait).
        private func connect(to host: String, port: Int, timeout: Double) throws -> Int32 {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Self.streamSocketType
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
                throw URLError(.cannotFindHost, userInfo: [NSLocalizedDescriptionKey: "cannot resolve \(host)"])
            }
            defer { freeaddrinfo(list) }
            var lastError: Int32 = 0
            var address: UnsafeMutablePointer<addrinfo>? = first
            while let candidate = address {
                address = candidate.pointee.ai_next
                let socket = Glue.socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype, candidate.pointee.ai_protocol)
                guard socket >= 0 else { lastError = errno; continue }
                let registered = state.withLock { state in
                    guard !state.isCancelled else { return false }
                    state.socket = socket
                    return true
                }
                guard registered else {
                    close(socket)
                    throw URLError(.cancelled)
                }
                if Glue.connect(socket, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen, timeout: timeout, isCancelled: { self.isCancelled }) {
                    var on: Int32 = 1
                    _ = setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                    return socket
                }
                lastError = errno
                state.withLock { $0.socket = -1 }
                close(socket)
                if isCancelled { throw URLError(.cancelled) }
            }
            throw URLError(.cannotConnectToHost, userInfo: [NSLocalizedDescriptionKey: "cannot connect to \(host):\(port) (errno \(lastError))"])
        }

        private func send(_ message: [UInt8], on socket: Int32) throws {
            var sent = 0
            while sent < message.count {
                let count = message.withUnsafeBytes { Glue.send(socket, $0.baseAddress! + sent, $0.count - sent) }
                if count < 0 {
                    if errno == EINTR { continue }
                    if isCancelled { throw URLError(.cancelled) }
                    throw URLError(.networkConnectionLost, userInfo: [NSLocalizedDescriptionKey: "sending the request failed (errno \(errno))"])
                }
                sent += count
            }
        }

        /// The request as HTTP/1.1 bytes: its method, target, headers, `Host`, `Content-Length`,
        /// `Connection: close`, and its body. A method or header name that is not a token, or a
        /// header value holding CR, LF or NUL, is refused (RFC 9110 §5.1, §5.5, §9.1): it could
        /// add lines to the request.
        private static func message(for request: URLRequest, url: URL, host: String) throws -> [UInt8] {
            let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            var target = components?.percentEncodedPath ?? "/"
            if target.isEmpty { target = "/" }
            if let query = components?.percentEncodedQuery { target += "?" + query }
            let hostName = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            let method = request.httpMethod ?? "GET"
            guard isToken(method) else {
                throw URLError(.badURL, userInfo: [NSLocalizedDescriptionKey: "the method \(method.debugDescription) is not an HTTP token"])
            }
            var head = "\(method) \(target) HTTP/1.1\r\n"
            head += "Host: \(hostName)\(url.port.map { ":\($0)" } ?? "")\r\n"
            let skipped: Set<String> = ["host", "content-length", "connection", "transfer-encoding"]
            for (name, value) in (request.allHTTPHeaderFields ?? [:]).sorted(by: { $0.key < $1.key })
            where !skipped.contains(name.lowercased()) {
                // On the bytes: Swift reads CRLF as one Character, equal to neither "\r" nor "\n".
                guard isToken(name), !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
                    throw URLError(.badURL, userInfo: [NSLocalizedDescriptionKey:
                        "the header \(name.debugDescription) is not valid HTTP (a name is a token; a value holds no CR, LF or NUL)"])
                }
                head += "\(name): \(value)\r\n"
            }
            if request.value(forHTTPHeaderField: "Accept") == nil { head += "Accept: */*\r\n" }
            if let body = request.httpBody { head += "Content-Length: \(body.count)\r\n" }
            head += "Connection: close\r\n\r\n"
            return Array(head.utf8) + (request.httpBody.map { Array($0) } ?? [])
        }

        /// An HTTP token (RFC 9110 §5.6.2): one or more ASCII letters, digits and the fifteen
        /// symbols the grammar lists.
        private static func isToken(_ text: String) -> Bool {
            !text.isEmpty && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    return true
                default:
                    return "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
        }

        #if canImport(Darwin)
        private static let streamSocketType = SOCK_STREAM
        #else
        private static let streamSocketType = Int32(SOCK_STREAM.rawValue)
        #endif
    }

    /// The socket calls whose spelling differs between Glibc and Darwin.
    private enum Glue {
        static func socket(_ family: Int32, _ type: Int32, _ protocol: Int32) -> Int32 {
            #if canImport(Darwin)
            let socket = Darwin.socket(family, type, `protocol`)
            if socket >= 0 {
                var on: Int32 = 1
                _ = setsockopt(socket, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
                _ = fcntl(socket, F_SETFD, FD_CLOEXEC)
            }
            return socket
            #else
            return Glibc.socket(family, type | Int32(SOCK_CLOEXEC.rawValue), `protocol`)
            #endif
        }

        static func send(_ socket: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
            #if canImport(Darwin)
            return Darwin.send(socket, bytes, count, 0)
            #else
            return Glibc.send(socket, bytes, count, Int32(MSG_NOSIGNAL))
            #endif
        }

        /// Connects without blocking longer than `timeout`, looking at `isCancelled` every 100 ms.
        static func connect(_ socket: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: socklen_t,
                            timeout: Double, isCancelled: () -> Bool) -> Bool {
            let flags = fcntl(socket, F_GETFL, 0)
            _ = fcntl(socket, F_SETFL, flags | O_NONBLOCK)
            defer { _ = fcntl(socket, F_SETFL, flags) }
            #if canImport(Darwin)
            let result = Darwin.connect(socket, address, length)
            #else
            let result = Glibc.connect(socket, address, length)
            #endif
            if result == 0 { return true }
            guard errno == EINPROGRESS else { return false }
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if isCancelled() { return false }
                var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&descriptor, 1, 100)
                if ready < 0 && errno != EINTR { return false }
                guard ready > 0 else { continue }
                var error: Int32 = 0
                var size = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &size) == 0, error == 0 else {
                    errno = error
                    return false
                }
                return true
            }
            errno = ETIMEDOUT
            return false
        }
    }
}
