// The scanner's state inside a token, kept in the parser between pushes so that a chunk may end
// anywhere: one named type per kind of token.

extension JSONParser {
    /// Inside a string or key: what it is, and the multi-byte constructs it is in the middle of.
    struct StringScan {
        /// A key (followed by `:`) rather than a string value.
        var isKey = false
        /// Whether a backslash was seen: the token's text must be decoded, not copied.
        var hasEscapes = false
        /// Where the scanner is in an escape sequence.
        var escape = EscapeState.none
        /// The hexadecimal digits of a `\u` escape read so far.
        var unicodeValue: UInt32 = 0
        /// A `\uD800`–`\uDBFF` escape was read: the next byte must start its low half.
        var expectsLowSurrogate = false
        /// Buffer index of the backslash of that high surrogate, for an error or a repair.
        var highSurrogateIndex = 0
        /// Continuation bytes still expected in a UTF-8 sequence (0: none).
        var utf8Remaining: UInt8 = 0
        /// Length of the UTF-8 sequence in progress, so an error points at its first byte.
        var utf8Length: UInt8 = 0
        /// The range the next continuation byte must fall in (narrower after some lead bytes:
        /// no overlong forms, surrogates or code points above U+10FFFF).
        var utf8Lower: UInt8 = 0x80
        var utf8Upper: UInt8 = 0xBF

        /// In the middle of a UTF-8 sequence, an escape or a surrogate pair: the next byte goes
        /// to the byte-level state machine.
        var isInsideConstruct: Bool {
            utf8Remaining != 0 || escape != .none || expectsLowSurrogate
        }
    }

    /// Where the scanner is inside an escape sequence of a string. (A one-byte enum without
    /// payloads: the string loop tests it per byte.)
    enum EscapeState: UInt8 {
        case none
        /// After the backslash.
        case backslash
        /// After `\u` and none, one, two or three of its four hexadecimal digits.
        case unicode0, unicode1, unicode2, unicode3

        /// Bytes of the escape read so far, backslash included: where a repair cuts before it.
        var bytesRead: Int {
            switch self {
            case .none: return 0
            case .backslash: return 1
            case .unicode0: return 2
            case .unicode1: return 3
            case .unicode2: return 4
            case .unicode3: return 5
            }
        }
    }

    /// Inside `true`, `false` or `null`: which one, and how many of its bytes matched.
    struct LiteralScan {
        var kind = JSONToken.Kind.null
        var matched = 0
    }
}
