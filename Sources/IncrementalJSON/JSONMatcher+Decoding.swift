import Foundation

extension JSONMatcher {
    /// Decodes a completed match into any `Decodable` type with a ``JSONTokenDecoder`` (its
    /// strategies — snake-case keys, ISO 8601 dates — as configured).
    ///
    /// ```swift
    /// let day = try matcher.decode(PlanDay.self, from: match)
    /// ```
    public func decode<T: Decodable>(_ type: T.Type, from match: JSONMatch,
                                     using decoder: JSONTokenDecoder = JSONTokenDecoder()) throws -> T {
        precondition(match.phase == .completed, "JSONMatcher.decode(_:from:) needs a completed match")
        if type == JSONValue.self { return value(of: match) as! T }
        var decoder = decoder
        decoder.parserOptions = captureOptions
        return try withUnsafeRawBytes(of: match) { [decoder] in try decoder.decode(type, from: $0) }
    }
}
