/// Why and where the input is not valid JSON.
///
/// The parser stops at the first error and stays failed: every later call throws the same error,
/// and no event follows it.
///
/// ```swift
/// do { _ = try JSONValue(parsing: "[1, 2,]") }
/// catch { print(error) }   // trailing comma at line 1, column 6 (byte 5), path $[1]
/// ```
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong: a value that compares with the static members below (`error.reason ==
    /// .invalidUTF8`), prints as a sentence, and exposes its details (``byte``, ``expected``,
    /// ``limit``).
    ///
    /// A struct over a private enum rather than a public enum, so that a new reason is not a
    /// source-breaking change for code that switches over it.
    ///
    /// ```swift
    /// do { _ = try JSONValue(parsing: "[1, 2,]") }
    /// catch let error where error.reason == .trailingComma { print(error.offset) }   // 5 (typed throws: a JSONParseError)
    /// ```
    public struct Reason: Sendable, Hashable {
        package enum Code: Sendable, Hashable {
            case unexpectedByte(UInt8, expected: String)
            case unexpectedEndOfInput(expected: String)
            case invalidUTF8
            case unescapedControlCharacter(UInt8)
            case invalidEscape(UInt8)
            case invalidUnicodeEscape
            case unpairedSurrogate
            case leadingZero
            case trailingComma
            case depthLimitExceeded(limit: Int)
            case stringTooLong(limit: Int)
            case inputTooLarge(limit: Int)
            case noValue
            case trailingContent(UInt8)
        }

        package var code: Code

        package init(_ code: Code) { self.code = code }

        /// A byte that the grammar does not allow here; `expected` says what would have been valid.
        public static func unexpectedByte(_ byte: UInt8, expected: String) -> Reason {
            Reason(.unexpectedByte(byte, expected: expected))
        }
        /// The input ended inside a value; `expected` says what was still missing.
        public static func unexpectedEndOfInput(expected: String) -> Reason {
            Reason(.unexpectedEndOfInput(expected: expected))
        }
        /// Bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Reason(.invalidUTF8)
        /// A control character (below U+0020) that must be escaped inside a string.
        public static func unescapedControlCharacter(_ byte: UInt8) -> Reason { Reason(.unescapedControlCharacter(byte)) }
        /// A backslash followed by a byte that starts no escape.
        public static func invalidEscape(_ byte: UInt8) -> Reason { Reason(.invalidEscape(byte)) }
        /// `\u` followed by something other than four hexadecimal digits.
        public static let invalidUnicodeEscape = Reason(.invalidUnicodeEscape)
        /// A `\uD800`–`\uDBFF` escape without its low half, or a lone `\uDC00`–`\uDFFF`.
        public static let unpairedSurrogate = Reason(.unpairedSurrogate)
        /// A number with a superfluous leading zero, as `012`.
        public static let leadingZero = Reason(.leadingZero)
        /// A comma directly before `]` or `}` (allowed by ``JSONParserOptions/allowsTrailingCommas``).
        public static let trailingComma = Reason(.trailingComma)
        /// More nested arrays and objects than ``JSONParserOptions/maximumDepth``.
        public static func depthLimitExceeded(limit: Int) -> Reason { Reason(.depthLimitExceeded(limit: limit)) }
        /// A string longer than ``JSONParserOptions/maximumStringLength``.
        public static func stringTooLong(limit: Int) -> Reason { Reason(.stringTooLong(limit: limit)) }
        /// More input than ``JSONParserOptions/maximumTotalBytes``.
        public static func inputTooLarge(limit: Int) -> Reason { Reason(.inputTooLarge(limit: limit)) }
        /// The input holds no JSON value at all (only whitespace, or only prose when skipping it).
        public static let noValue = Reason(.noValue)
        /// Something other than whitespace after the top-level value.
        public static func trailingContent(_ byte: UInt8) -> Reason { Reason(.trailingContent(byte)) }

        /// Whether the input ended inside a value — the one error that more input would have
        /// avoided (a cut stream rather than a malformed one).
        public var isEndOfInput: Bool {
            if case .unexpectedEndOfInput = code { return true }
            return false
        }

        /// The offending byte, for the reasons that name one.
        public var byte: UInt8? {
            switch code {
            case .unexpectedByte(let byte, _), .unescapedControlCharacter(let byte), .invalidEscape(let byte),
                 .trailingContent(let byte):
                return byte
            default:
                return nil
            }
        }

        /// What would have been valid, for an unexpected byte or end of input.
        public var expected: String? {
            switch code {
            case .unexpectedByte(_, let expected), .unexpectedEndOfInput(let expected): return expected
            default: return nil
            }
        }

        /// The configured limit that was exceeded, for the limit reasons.
        public var limit: Int? {
            switch code {
            case .depthLimitExceeded(let limit), .stringTooLong(let limit), .inputTooLarge(let limit): return limit
            default: return nil
            }
        }
    }

    /// What went wrong.
    public var reason: Reason
    /// Absolute byte offset of the offending byte (the input's length for a premature end).
    public var offset: Int
    /// 1-based line: one more than the number of line feeds before ``offset``.
    public var line: Int
    /// 1-based column, in bytes from the start of the line.
    public var column: Int
    /// Where in the document the error was found.
    public var path: JSONPath

    public init(reason: Reason, offset: Int, line: Int, column: Int, path: JSONPath) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
    }

    /// `<reason> at line L, column C (byte O), path P` — the format the command line prints.
    public var description: String {
        "\(reason) at line \(line), column \(column) (byte \(offset)), path \(path)"
    }
}

extension JSONParseError.Reason: CustomStringConvertible {
    public var description: String {
        switch code {
        case .unexpectedByte(let byte, let expected):
            return "unexpected \(ASCII.describe(byte)), expected \(expected)"
        case .unexpectedEndOfInput(let expected):
            return "unexpected end of input, expected \(expected)"
        case .invalidUTF8:
            return "invalid UTF-8"
        case .unescapedControlCharacter(let byte):
            return "unescaped control character \(ASCII.describe(byte)) in string"
        case .invalidEscape(let byte):
            return "invalid escape '\\' followed by \(ASCII.describe(byte))"
        case .invalidUnicodeEscape:
            return "invalid \\u escape, expected four hexadecimal digits"
        case .unpairedSurrogate:
            return "unpaired UTF-16 surrogate in \\u escape"
        case .leadingZero:
            return "number with a leading zero"
        case .trailingComma:
            return "trailing comma"
        case .depthLimitExceeded(let limit):
            return "nesting deeper than the limit of \(limit)"
        case .stringTooLong(let limit):
            return "string longer than the limit of \(limit) bytes"
        case .inputTooLarge(let limit):
            return "input larger than the limit of \(limit) bytes"
        case .noValue:
            return "no JSON value in the input"
        case .trailingContent(let byte):
            return "unexpected \(ASCII.describe(byte)) after the top-level value"
        }
    }
}
