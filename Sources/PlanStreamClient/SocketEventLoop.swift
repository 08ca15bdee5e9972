#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// One thread that waits on every open response socket at once (`poll`) and reads whichever is
/// ready, handing each read's bytes to its socket's ``Reader`` on this thread.
///
/// Why not a thread per connection: a model's stream is thousands of small writes, and each read
/// then cost two thread wake-ups — the connection's thread, then the task it handed the chunk to.
/// Here a read costs at most one wake-up, none while the loop is busy with other sockets, and the
/// chunk is read where it arrives. With a hundred streams at once, CPU per stream stays what it
/// is with ten.
///
/// A reader runs on the loop's thread and must not block: it parses, and yields to an
/// `AsyncThrowingStream` (which buffers). Sockets are read with `recv` once per `poll`, 64 KiB at
/// most; `poll` is level-triggered, so what is left is read on the next turn.
final class SocketEventLoop: @unchecked Sendable {
    // Unchecked: `pending` is under its mutex; `descriptors` and `readers` are touched only on the
    // loop's thread (in `run`).

    /// What a registered socket's owner does with what the loop reads.
    protocol Reader: AnyObject, Sendable {
        /// Called on the loop's thread with each read's result; returns whether to go on reading.
        /// After `false` the loop closes the socket and forgets the reader.
        func handle(_ event: SocketEvent) -> Bool
    }

    enum SocketEvent {
        /// Bytes read; valid only during the call.
        case bytes(UnsafeRawBufferPointer)
        /// The peer closed its side (or the socket was shut down).
        case end
        /// A read failed with this `errno`.
        case failed(Int32)
    }

    /// The loop every socket transport shares, started by the first call. Throws when
    /// the process has no file descriptor left for its wake pipe (the next call tries again).
    static func shared() throws(URLError) -> SocketEventLoop {
        try instance.withLock { (loop: inout SocketEventLoop?) throws(URLError) -> SocketEventLoop in
            if let loop { return loop }
            let started = try SocketEventLoop()
            loop = started
            return started
        }
    }

    private static let instance = Mutex<SocketEventLoop?>(nil)

    private let pending = Mutex<[(socket: Int32, reader: any Reader)]>([])
    private let wakeReader: Int32
    private let wakeWriter: Int32
    private var descriptors: [pollfd] = []
    private var readers: [any Reader] = []

    private init() throws(URLError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw URLError(.cannotConnectToHost, userInfo: [NSLocalizedDescriptionKey: "cannot start the socket loop: pipe() failed (errno \(errno))"])
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL, 0) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeReader = ends[0]
        wakeWriter = ends[1]
        let thread = Thread { [self] in run() }
        thread.name = "PlanStreamClient sockets"
        thread.start()
    }

    /// Hands `socket` (connected, its request sent) to the loop, which reads it until `reader`
    /// says stop, then closes it. Wake the read with `shutdown` to stop it from elsewhere.
    func register(_ socket: Int32, reader: any Reader) {
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL, 0) | O_NONBLOCK)
        pending.withLock { $0.append((socket, reader)) }
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    private func run() -> Never {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        descriptors = [pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
        while true {
            if poll(&descriptors, nfds_t(descriptors.count), -1) < 0 {
                // EINTR: again. Anything else (ENOMEM) would spin: again, a millisecond later.
                if errno != EINTR { usleep(1000) }
                continue
            }
            if descriptors[0].revents != 0 { admitPending(drainingInto: buffer) }
            var index = 1
            while index < descriptors.count {
                guard descriptors[index].revents != 0 else {
                    index += 1
                    continue
                }
                descriptors[index].revents = 0
                let socket = descriptors[index].fd
                let count = recv(socket, buffer.baseAddress, buffer.count, 0)
                let event: SocketEvent
                if count > 0 {
                    event = .bytes(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                } else if count == 0 {
                    event = .end
                } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    index += 1
                    continue
                } else {
                    event = .failed(errno)
                }
                if readers[index - 1].handle(event) {
                    index += 1
                } else {
                    // The last socket moves here, its `revents` kept: it is looked at next.
                    close(socket)
                    descriptors.swapAt(index, descriptors.count - 1)
                    descriptors.removeLast()
                    readers.swapAt(index - 1, readers.count - 1)
                    readers.removeLast()
                }
            }
        }
    }

    private func admitPending(drainingInto scratch: UnsafeMutableRawBufferPointer) {
        while read(wakeReader, scratch.baseAddress, scratch.count) > 0 {}
        let admitted = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        for registration in admitted {
            descriptors.append(pollfd(fd: registration.socket, events: Int16(POLLIN), revents: 0))
            readers.append(registration.reader)
        }
    }
}
