/// A JSON number, kept as the exact text of the document.
///
/// Conversions happen on request and say when they cannot be exact:
///
/// ```swift
/// let n = JSONNumber("1.5e3")!
/// n.int          // 1500, since the value is an integer
/// n.double       // 1500.0
/// JSONNumber("12345678901234567890")!.int   // nil: does not fit in Int
/// ```
///
/// Equality compares the text: `1.0` and `1` are different numbers here, as they are different
/// bytes in the document.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, exactly as in the document.
    public let text: String

    /// Creates a number from text that must follow the JSON number grammar. Cost: O(its length),
    /// nothing allocated.
    public init?(_ text: String) {
        guard Self.isNumber(text.utf8) else { return nil }
        self.text = text
    }

    init(unchecked text: String) {
        self.text = text
    }

    /// Whether `bytes` are `-? (0 | [1-9] [0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, the whole of them.
    private static func isNumber(_ bytes: String.UTF8View) -> Bool {
        var index = bytes.startIndex
        func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.endIndex, bytes[index] == byte else { return false }
            bytes.formIndex(after: &index)
            return true
        }
        func digits() -> Bool {
            let start = index
            while index < bytes.endIndex, ASCII.isDigit(bytes[index]) { bytes.formIndex(after: &index) }
            return index != start
        }
        _ = skip(ASCII.minus)
        guard skip(ASCII.zero) || digits() else { return false }
        if skip(ASCII.dot) { guard digits() else { return false } }
        if skip(ASCII.lowerE) || skip(ASCII.upperE) {
            _ = skip(ASCII.plus) || skip(ASCII.minus)
            guard digits() else { return false }
        }
        return index == bytes.endIndex
    }

    public var description: String { text }

    /// Whether the text has neither a fraction nor an exponent.
    public var isIntegerLiteral: Bool {
        !text.utf8.contains { $0 == ASCII.dot || $0 == ASCII.lowerE || $0 == ASCII.upperE }
    }

    /// The value as an `Int` when it is an integer that fits (`1e3` and `2.50e1` included),
    /// otherwise `nil`. Never rounds.
    public var int: Int? {
        // A plain integer, the common case, reads directly (`Int` refuses a fraction or exponent).
        if let value = Int(text) { return value }
        let parts = decimalParts
        var exponent = parts.exponent
        var digits = parts.digits[...]
        while let last = digits.last, last == 0, !digits.isEmpty {
            digits.removeLast()
            exponent += 1
        }
        guard let first = digits.firstIndex(where: { $0 != 0 }) else { return 0 }
        digits = digits[first...]
        guard exponent >= 0, digits.count + exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits { magnitude = magnitude * 10 + UInt64(digit) }
        for _ in 0..<exponent {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = product
        }
        if parts.isNegative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { return nil }
        return Int(magnitude)
    }

    /// The nearest `Double` (correctly rounded), or `nil` when the magnitude is too large for one.
    public var double: Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Sign, significant decimal digits and the power of ten that scales them.
    private var decimalParts: (isNegative: Bool, digits: [UInt8], exponent: Int) {
        var digits: [UInt8] = []
        var exponent = 0
        var isNegative = false
        var inFraction = false
        var bytes = text.utf8[...]
        if bytes.first == ASCII.minus { isNegative = true; bytes = bytes.dropFirst() }
        while let byte = bytes.first {
            bytes = bytes.dropFirst()
            if ASCII.isDigit(byte) {
                digits.append(byte - ASCII.zero)
                if inFraction { exponent -= 1 }
            } else if byte == ASCII.dot {
                inFraction = true
            } else {
                // The exponent; clamp absurd ones, which no Int can take anyway.
                let explicit = Int(String(decoding: bytes, as: UTF8.self)) ?? (bytes.first == ASCII.minus ? Int.min / 2 : Int.max / 2)
                exponent = explicit.clamped(to: -1_000_000_000...1_000_000_000) + exponent
                break
            }
        }
        return (isNegative, digits, exponent)
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
