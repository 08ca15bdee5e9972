/// Splits a body of whole JSON values into one value each, whatever the chunking: a single
/// response object (a non-streaming endpoint, a buffering proxy), objects one after another, or —
/// when the body opens with `[` — the elements of that array as they complete (Gemini's
/// `streamGenerateContent` without `alt=sse`).
///
/// It only finds where each value ends (brackets outside strings); the payload reader validates
/// the value. Cost: each byte examined once; a value's bytes are kept until it ends.
struct JSONValueSplitter {
    /// A byte where a value, a `,` or the array's `]` must be.
    struct UnexpectedByte: Error, CustomStringConvertible {
        var byte: UInt8
        var offset: Int
        var description: String {
            "unexpected byte 0x\(String(byte, radix: 16, uppercase: true)) at body offset \(offset) between JSON values"
        }
    }

    private enum Layout { case unknown, values, arrayElements, arrayClosed }

    private var layout = Layout.unknown
    private var value: [UInt8] = []
    /// Bracket depth inside the current value.
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var offset = 0
    private var failure: UnexpectedByte?

    /// Hands each value that ends in `bytes` to `sink`, with whether it is an element of the body's array.
    mutating func push(_ bytes: some Collection<UInt8>, _ sink: (ArraySlice<UInt8>, Bool) -> Void) throws(UnexpectedByte) {
        // A failure is reported once; what follows it is not read.
        guard failure == nil else { return }
        for byte in bytes {
            defer { offset += 1 }
            if depth > 0 {
                value.append(byte)
                if inString {
                    if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                    continue
                }
                switch byte {
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 {
                        sink(value[...], layout == .arrayElements)
                        value.removeAll(keepingCapacity: true)
                    }
                default: break
                }
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                continue
            case 0x5B where layout == .unknown:
                layout = .arrayElements
            case 0x2C where layout == .arrayElements:
                continue
            case 0x5D where layout == .arrayElements:
                layout = .arrayClosed
            case 0x7B where layout != .arrayClosed, 0x5B where layout != .arrayClosed:
                if layout == .unknown { layout = .values }
                depth = 1
                value.append(byte)
            default:
                if offset < 3, byte == Self.byteOrderMark[offset] { continue }
                failure = UnexpectedByte(byte: byte, offset: offset)
                throw failure!
            }
        }
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Whether the body ended between values (not inside one, not inside an open array).
    var endedCleanly: Bool { depth == 0 && layout != .arrayElements && failure == nil }
}
