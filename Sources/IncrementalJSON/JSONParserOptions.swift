/// What a ``JSONParser`` accepts and how far it may go.
///
/// The default is RFC 8259 exactly. Each relaxation for what language models really send is a
/// named option, never a guess:
///
/// ```swift
/// var options = JSONParserOptions.llm            // prose + fence before, prose after, trailing commas
/// options.maximumDepth = 64
/// let parser = JSONParser(options: options)
/// ```
public struct JSONParserOptions: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted; one more opening bracket is an error.
    ///
    /// The parser itself keeps its nesting on the heap and takes any depth. What builds trees —
    /// ``JSONValue/init(parsing:options:)-(Collection<UInt8>,_)``, a ``JSONMatcher`` (its captures are trees) — takes at
    /// most ``JSONValue/maximumDepth``, whatever this says.
    public var maximumDepth: Int = 512

    /// The longest string or key accepted, in bytes of its raw (escaped) text, and the longest
    /// number (``JSONParseError/Reason/stringTooLong(limit:)`` for either); `nil` for no limit.
    public var maximumStringLength: Int? = nil

    /// The most bytes accepted in total; `nil` for no limit.
    public var maximumTotalBytes: Int? = nil

    /// Skip everything before the first `{` or `[`: a model's "Here is your plan:" and a Markdown
    /// code fence (three backticks, then `json`). The document must then be an object or an array.
    public var skipsLeadingProse: Bool = false

    /// With ``skipsLeadingProse``: only an object with members ends the prose, for a document known
    /// to be one — a citation `[1]`, a `[see below]` or an empty `{}` in the prose is passed over,
    /// where it would otherwise be taken for the document (and the real one ignored as trailing
    /// content). `PlanStreamParser` sets it when its schema's paths start with a key, as the
    /// default ones (`$.metadata`, `$.days[*]`) do.
    public var leadingProseEndsAtObject: Bool = false

    /// Stop at the end of the first top-level value and ignore whatever follows (a closing fence,
    /// prose). Without it, only whitespace may follow the value.
    public var ignoresTrailingContent: Bool = false

    /// Accept one comma before a closing `]` or `}`: `[1, 2,]`, `{"a": 1,}`.
    public var allowsTrailingCommas: Bool = false

    /// Accept several top-level values in a row, separated by optional whitespace
    /// (NDJSON, JSON Lines, concatenated JSON). Empty input is then valid too.
    public var allowsMultipleTopLevelValues: Bool = false

    /// Strict RFC 8259 with the default limits.
    public init() {}

    /// Strict RFC 8259: every document the grammar accepts, nothing else.
    public static var strict: JSONParserOptions { JSONParserOptions() }

    /// What language models send: prose and a code fence before the value, a fence or prose after
    /// it, and trailing commas.
    public static var llm: JSONParserOptions {
        var options = JSONParserOptions()
        options.skipsLeadingProse = true
        options.ignoresTrailingContent = true
        options.allowsTrailingCommas = true
        return options
    }
}
