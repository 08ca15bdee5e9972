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
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// A byte that the grammar does not allow here; `expected` says what would have been valid.
        case unexpectedByte(UInt8, expected: String)
        /// The input ended inside a value; `expected` says what was still missing.
        case unexpectedEndOfInput(expected: String)
        /// Bytes that are not well-formed UTF-8.
        case invalidUTF8
        /// A control character (below U+0020) that must be escaped inside a string.
        case unescapedControlCharacter(UInt8)
        /// A backslash followed by a byte that starts no escape.
        case invalidEscape(UInt8)
        /// `\u` followed by something other than four hexadecimal digits.
        case invalidUnicodeEscape
        /// A `\uD800`–`\uDBFF` escape without its low half, or a lone `\uDC00`–`\uDFFF`.
        case unpairedSurrogate
        /// A number with a superfluous leading zero, as `012`.
        case leadingZero
        /// A comma directly before `]` or `}` (allowed by ``JSONParserOptions/allowsTrailingCommas``).
        case trailingComma
        /// More nested arrays and objects than ``JSONParserOptions/maximumDepth``.
        case depthLimitExceeded(limit: Int)
        /// A string longer than ``JSONParserOptions/maximumStringLength``.
        case stringTooLong(limit: Int)
        /// More input than ``JSONParserOptions/maximumTotalBytes``.
        case inputTooLarge(limit: Int)
        /// The input holds no JSON value at all (only whitespace, or only prose when skipping it).
        case noValue
        /// Something other than whitespace after the top-level value.
        case trailingContent(UInt8)
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
        switch self {
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
