import Foundation

/// Finding line breaks in a body — one byte with `memchr`, either of two eight bytes at a time: a
/// model's stream is mostly long lines (an event's JSON) around short breaks, and a byte-at-a-time
/// loop was a visible share of the client's per-chunk cost.
enum ByteSearch {
    /// The index of the first `byte` at or after `start`, or `bytes.count` (libc's `memchr`,
    /// vectorized: faster than eight bytes at a time when there is one byte to find).
    @inline(__always)
    static func first(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count,
              let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return bytes.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// The index of the first byte at or after `start` that is `a` or `b`, or `bytes.count`.
    @inline(__always)
    static func first(_ a: UInt8, or b: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let end = bytes.count
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index &+ 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                // A byte equal to `a` or `b` is a zero byte of `word ^ pattern`; the lowest flagged
                // byte is exact (a borrow only runs upwards from a zero byte).
                let xa = word ^ (ones &* UInt64(a))
                let xb = word ^ (ones &* UInt64(b))
                let flagged = ((xa &- ones) & ~xa | (xb &- ones) & ~xb) & highs
                if flagged != 0 { return index &+ flagged.trailingZeroBitCount >> 3 }
                index &+= 8
            }
        }
        while index < end, bytes[index] != a, bytes[index] != b { index &+= 1 }
        return index
    }

    /// Whether `count` bytes at `a` and at `b` are equal: eight at a time, the last eight
    /// overlapping, inline — the ranges a payload's shape compares are 10–30 bytes, where a call
    /// to `memcmp` cost more than the comparison.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var offset = 0
            while offset &+ 8 < count {
                if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                    return false
                }
                offset &+= 8
            }
            let last = count &- 8
            return a.loadUnaligned(fromByteOffset: last, as: UInt64.self) == b.loadUnaligned(fromByteOffset: last, as: UInt64.self)
        }
        if count >= 4 {
            let last = count &- 4
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: last, as: UInt32.self) == b.loadUnaligned(fromByteOffset: last, as: UInt32.self)
        }
        var offset = 0
        while offset < count {
            if a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) { return false }
            offset &+= 1
        }
        return true
    }
}
