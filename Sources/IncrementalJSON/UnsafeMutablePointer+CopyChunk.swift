extension UnsafeMutablePointer<UInt8> {
    /// Copies `count` bytes from `source`, which must not overlap these. Up to 16 bytes (a
    /// model's token is a few) without a call: two words, or two half-words, that overlap when
    /// the chunk is shorter than twice their size; more through `memmove`.
    @inlinable @inline(__always)
    package func copyChunk(from source: UnsafeRawPointer, count: Int) {
        let target = UnsafeMutableRawPointer(self)
        guard count <= 16 else {
            target.copyMemory(from: source, byteCount: count)
            return
        }
        if count >= 8 {
            let last = count &- 8
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: last, as: UInt64.self), toByteOffset: last, as: UInt64.self)
        } else if count >= 4 {
            let last = count &- 4
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: last, as: UInt32.self), toByteOffset: last, as: UInt32.self)
        } else {
            for k in 0..<count { self[k] = source.load(fromByteOffset: k, as: UInt8.self) }
        }
    }
}
