import Foundation

extension JSONMatcher {
    /// Decodes a completed match into any `Decodable` type.
    ///
    /// ```swift
    /// let day = try matcher.decode(PlanDay.self, from: match)
    /// ```
    public func decode<T: Decodable>(_ type: T.Type, from match: JSONMatch,
                                     using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        precondition(match.phase == .completed, "JSONMatcher.decode(_:from:) needs a completed match")
        if type == JSONValue.self { return value(of: match) as! T }
        let data = withUnsafeRawBytes(of: match) { Data($0) }
        return try decoder.decode(type, from: data)
    }
}
