import Foundation


extension JSONParser {
    /// Appends the bytes of `data` to the input.
    public func push(_ data: Data) {
        data.withUnsafeBytes { push($0) }
    }

    /// Pushes the bytes of `data` and returns the events they complete.
    public func feed(_ data: Data) throws(JSONParseError) -> [JSONEvent] {
        push(data)
        return try feed(UnsafeRawBufferPointer(start: nil, count: 0))
    }
}

extension JSONNumber {
    /// The value as a `Decimal` (38 significant digits), or `nil` when out of its range.
    public var decimal: Decimal? {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}
