/// Turns the raw bytes between a string's quotes into its value. The scanner has already
/// validated them (UTF-8, escapes, surrogate pairs), so decoding cannot fail.
enum JSONStringDecoding {
    static func decode(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) -> String {
        guard hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: decodeUTF8(raw), as: UTF8.self)
    }

    /// The value's UTF-8, escapes decoded, without making a string.
    static func decodeUTF8(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            guard byte == ASCII.backslash else {
                output.append(byte)
                i += 1
                continue
            }
            let escaped = raw[i + 1]
            i += 2
            switch escaped {
            case 0x62: output.append(0x08)
            case ASCII.lowerF: output.append(0x0C)
            case ASCII.lowerN: output.append(ASCII.lineFeed)
            case 0x72: output.append(ASCII.carriageReturn)
            case ASCII.lowerT: output.append(ASCII.tab)
            case ASCII.lowerU:
                var scalar = hexQuad(raw, at: i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // The scanner guarantees `\uDC00`...`\uDFFF` follows.
                    let low = hexQuad(raw, at: i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar, to: &output)
            default: output.append(escaped)   // '"', '\\', '/'
            }
        }
        return output
    }

    private static func hexQuad(_ raw: UnsafeRawBufferPointer, at i: Int) -> UInt32 {
        (0..<4).reduce(0) { value, k in value << 4 | ASCII.hexValue(raw[i + k])! }
    }

    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        output.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
    }
}
