import Foundation

/// Turns the raw bytes between a string's quotes into its value. The scanner has already
/// validated them (UTF-8, escapes, surrogate pairs), so decoding cannot fail.
package enum JSONStringDecoding {
    static func decode(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) -> String {
        guard hasEscapes else { return string(validatedUTF8: raw) }
        // Escapes only shrink: the value fits in the raw length. Their UTF-8 is valid too (the
        // scanner rejects a lone surrogate).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.count) { buffer in
            let count = decode(raw, into: buffer)
            return string(validatedUTF8: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[..<count])))
        }
    }

    /// A string of bytes that the scanner has validated as UTF-8, made without validating them
    /// again: the standard library's check costs more than the whole scan on non-Latin text (about
    /// 15 instructions a byte on the Japanese plan). Where that way of making a string is not
    /// available (Apple platforms before 26), `String(decoding:as:)`.
    @inline(never)
    package static func string(validatedUTF8 raw: UnsafeRawBufferPointer) -> String {
        if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            return String(copying: UTF8Span(unchecked: raw.assumingMemoryBound(to: UInt8.self).span))
        }
        return String(decoding: raw, as: UTF8.self)
    }

    /// The value of a string's raw bytes, whether or not they hold escapes.
    static func decode(_ raw: UnsafeRawBufferPointer) -> String {
        decode(raw, hasEscapes: raw.baseAddress.map { memchr($0, Int32(ASCII.backslash), raw.count) != nil } ?? false)
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
        // One `replaceSubrange`: `removeAll` then `append` costs more, and
        // `init(unsafeUninitializedCapacity:)` looked up the array's type at run time on every
        // call (~500 instructions).
        guard let source = raw.baseAddress, memchr(source, Int32(ASCII.backslash), raw.count) != nil else {
            bytes.replaceSubrange(bytes.startIndex..<bytes.endIndex, with: raw)
            return
        }
        // Decoded on the stack, then copied in: decoded in place, the array shrank through the
        // generic `removeLast(_:)` (~90 instructions).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.count) { buffer in
            let count = decode(raw, into: buffer)
            bytes.replaceSubrange(bytes.startIndex..<bytes.endIndex, with: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Writes the value of `raw` (escapes decoded) to `output`, which holds at least `raw.count`
    /// bytes, and returns its length. Bytes without a backslash are copied a word at a time, the
    /// rest one at a time: no call per run (the values are short, and their escapes frequent).
    private static func decode(_ raw: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let source = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), let target = output.baseAddress else { return 0 }
        let end = raw.count
        var i = 0
        var written = 0
        while i < end {
            // The output never runs ahead of the input, so a whole word always fits.
            while i &+ 8 <= end {
                let word = UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)
                let notBackslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                guard (notBackslash &- 0x0101_0101_0101_0101) & ~notBackslash & 0x8080_8080_8080_8080 == 0 else { break }
                UnsafeMutableRawPointer(target + written).storeBytes(of: word, as: UInt64.self)
                i &+= 8
                written &+= 8
            }
            while i < end && source[i] != ASCII.backslash {
                target[written] = source[i]
                i &+= 1
                written &+= 1
            }
            guard i < end else { break }
            let escaped = source[i &+ 1]
            i &+= 2
            switch escaped {
            case 0x62: target[written] = 0x08
            case ASCII.lowerF: target[written] = 0x0C
            case ASCII.lowerN: target[written] = ASCII.lineFeed
            case 0x72: target[written] = ASCII.carriageReturn
            case ASCII.lowerT: target[written] = ASCII.tab
            case ASCII.lowerU:
                var scalar = hexQuad(source + i)
                i &+= 4
                if scalar & 0xFC00 == 0xD800 {
                    // The scanner guarantees `\uDC00`...`\uDFFF` follows.
                    scalar = 0x10000 &+ ((scalar &- 0xD800) << 10) &+ (hexQuad(source + (i &+ 2)) &- 0xDC00)
                    i &+= 6
                }
                written &+= encodeUTF8(scalar, into: target + written)
                continue
            default: target[written] = escaped   // '"', '\\', '/'
            }
            written &+= 1
        }
        return written
    }

    /// The value of four hex digits the scanner validated.
    private static func hexQuad(_ digits: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let digit = UInt32(digits[k])
            value = value << 4 | (digit <= 0x39 ? digit &- 0x30 : (digit | 0x20) &- 0x57)
        }
        return value
    }

    /// Writes the UTF-8 of `scalar` (not a surrogate) and returns its length.
    private static func encodeUTF8(_ scalar: UInt32, into target: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case ..<0x80:
            target[0] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case ..<0x800:
            target[0] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
            target[1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 2
        case ..<0x10000:
            target[0] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
            target[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            target[2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 3
        default:
            target[0] = UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18)
            target[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F)
            target[2] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            target[3] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 4
        }
    }
}
