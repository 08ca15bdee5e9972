import Foundation

/// Turns the raw bytes between a string's quotes into its value. The scanner has already
/// validated them (UTF-8, escapes, surrogate pairs), so decoding cannot fail.
package enum JSONStringDecoding {
    static func decode(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) -> String {
        guard hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        // Escapes only shrink: the value fits in the raw length, written in place.
        return String(unsafeUninitializedCapacity: raw.count) { decode(raw, into: $0) }
    }

    /// The value's UTF-8, escapes decoded, without making a string.
    package static func decodeUTF8(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var bytes: [UInt8] = []
        decodeUTF8(raw, into: &bytes)
        return bytes
    }

    /// Replaces the contents of `bytes` with the value's UTF-8, escapes decoded: a caller that
    /// reuses one array for many values allocates nothing once it is large enough (unless the
    /// array's storage is still shared).
    package static func decodeUTF8(_ raw: UnsafeRawBufferPointer, into bytes: inout [UInt8]) {
        // A copy of the raw bytes, decoded in place (escapes only shrink).
        // `init(unsafeUninitializedCapacity:)` looked up the array's type at run time on every
        // call (~500 instructions).
        // One call, not `removeAll` then `append`: ~25 instructions fewer per value.
        bytes.replaceSubrange(bytes.startIndex..<bytes.endIndex, with: raw)
        guard let source = raw.baseAddress, memchr(source, Int32(ASCII.backslash), raw.count) != nil else { return }
        let count = bytes.withUnsafeMutableBufferPointer { decode(raw, into: $0) }
        bytes.removeLast(bytes.count - count)
    }

    /// Writes the value of `raw` (escapes decoded) to `output`, which holds at least `raw.count`
    /// bytes, and returns its length. Runs without a backslash are copied whole.
    private static func decode(_ raw: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let source = raw.baseAddress, let target = output.baseAddress else { return 0 }
        var i = 0
        var written = 0
        while i < raw.count {
            var run = raw.count - i
            if let backslash = memchr(source + i, Int32(ASCII.backslash), run) {
                run = UnsafeRawPointer(backslash) - (source + i)
            }
            (target + written).update(from: (source + i).assumingMemoryBound(to: UInt8.self), count: run)
            written += run
            i += run
            guard i < raw.count else { break }
            let escaped = raw[i + 1]
            i += 2
            switch escaped {
            case 0x62: target[written] = 0x08
            case ASCII.lowerF: target[written] = 0x0C
            case ASCII.lowerN: target[written] = ASCII.lineFeed
            case 0x72: target[written] = ASCII.carriageReturn
            case ASCII.lowerT: target[written] = ASCII.tab
            case ASCII.lowerU:
                var scalar = hexQuad(raw, at: i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // The scanner guarantees `\uDC00`...`\uDFFF` follows.
                    let low = hexQuad(raw, at: i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                for unit in Unicode.UTF8.encode(Unicode.Scalar(scalar)!)! {
                    target[written] = unit
                    written += 1
                }
                continue
            default: target[written] = escaped   // '"', '\\', '/'
            }
            written += 1
        }
        return written
    }

    private static func hexQuad(_ raw: UnsafeRawBufferPointer, at i: Int) -> UInt32 {
        (0..<4).reduce(0) { value, k in value << 4 | ASCII.hexValue(raw[i + k])! }
    }
}
