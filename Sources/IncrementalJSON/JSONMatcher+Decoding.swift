import Foundation

extension JSONMatcher {
    /// Decodes a completed match into any `Decodable` type with ``JSONTokenDecoder``.
    ///
    /// ```swift
    /// let day = try matcher.decode(PlanDay.self, from: match)
    /// ```
    public func decode<T: Decodable>(_ type: T.Type, from match: JSONMatch) throws -> T {
        precondition(match.phase == .completed, "JSONMatcher.decode(_:from:) needs a completed match")
        if type == JSONValue.self { return value(of: match) as! T }
        var decoder = JSONTokenDecoder()
        decoder.parserOptions = captureOptions
        return try withUnsafeRawBytes(of: match) { [decoder] in try decoder.decode(type, from: $0) }
    }

    /// Decodes a completed match with a Foundation `JSONDecoder`, for its strategies (key
    /// conversion, date formats).
    public func decode<T: Decodable>(_ type: T.Type, from match: JSONMatch, using decoder: JSONDecoder) throws -> T {
        precondition(match.phase == .completed, "JSONMatcher.decode(_:from:using:) needs a completed match")
        let data = withUnsafeRawBytes(of: match) { Data($0) }
        return try decoder.decode(type, from: data)
    }
}
