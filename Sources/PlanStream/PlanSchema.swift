import IncrementalJSON

/// Where a plan's parts are in the document. A plan nested in `{"plan": {...}}`, or using other
/// key names, is a schema change, not a code change:
///
/// ```swift
/// var schema = PlanSchema()
/// schema.metadataPath = "$.plan.meta"
/// schema.dayPath = "$.plan.schedule[*]"
/// schema.expectedDays = .fixed(30)        // e.g. the request's duration
/// ```
public struct PlanSchema: Sendable, Hashable {
    /// Where the expected number of days comes from.
    public enum ExpectedDays: Sendable, Hashable {
        /// A number in the document (a path to an integer value).
        case path(JSONPathPattern)
        /// A number the caller knows, such as the duration it asked the model for.
        case fixed(Int)
        /// Unknown: progress has no fraction, and no count warning is given.
        case unknown
    }

    /// The metadata value. Default `$.metadata`.
    public var metadataPath: JSONPathPattern = "$.metadata"
    /// Each day; every match is one day, in order. Default `$.days[*]`.
    public var dayPath: JSONPathPattern = "$.days[*]"
    /// The key, inside a day, of its 1-based day number, checked for gaps and repeats. Default `day`.
    public var dayNumberKey: String? = "day"
    /// Default: `$.metadata.duration.value`.
    public var expectedDays: ExpectedDays = .path("$.metadata.duration.value")
    /// The parser's options. Default `JSONParserOptions/llm` — models wrap JSON in prose and fences.
    /// When ``metadataPath`` and ``dayPath`` both start with a key (the defaults do), the parser
    /// also sets `leadingProseEndsAtObject`: the document is then an object, so a citation `[1]`
    /// in the prose before it is not taken for it.
    public var parserOptions: JSONParserOptions = .llm

    public init() {}
}
