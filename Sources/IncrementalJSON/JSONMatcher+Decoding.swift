import Foundation

extension JSONMatcher {
    /// Decodes a completed match into any `Decodable` type with a ``JSONTokenDecoder`` (its
    /// strategies — snake-case keys, ISO 8601 dates — as configured).
    ///
    /// Cost: the decoder's, on the match's bytes (a parse into a tape, then the look-ups).
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
        let isRecorded = recordedRange == match.startOffset..<match.endOffset
        return try withUnsafeRawBytes(of: match) { [decoder] raw in
            // Its tokens recorded as they were scanned: the tape, over the same bytes, without a
            // second parse.
            guard isRecorded else { return try decoder.decode(type, from: raw) }
            return try decoder.decode(type, from: TokenTape(recorder, options: captureOptions, bytesHeldBy: parser))
        }
    }
}
