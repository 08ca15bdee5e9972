/// One syntactic event of the fast path, as returned by ``JSONParser/nextToken()``.
///
/// A token is a small value (no allocation); its text stays in the parser's buffer until the
/// next ``JSONParser/push(_:)-(UnsafeRawBufferPointer)``. Read it with
/// ``JSONParser/string(of:)``, ``JSONParser/number(of:)`` or
/// ``JSONParser/withUnsafeRawBytes(of:_:)``.
public struct JSONToken: Sendable, Hashable {
    /// What the token is.
    public enum Kind: UInt8, Sendable, Hashable {
        case objectStart, objectEnd, arrayStart, arrayEnd
        case key, string, number, `true`, `false`, null
    }

    /// What the token is.
    public var kind: Kind
    /// Absolute byte offset of the token's first byte (the opening quote of a string, the
    /// bracket of a container).
    public var offset: Int
    /// Length of the token's raw text in bytes, quotes included.
    public var length: Int
    /// Whether a string or key contains backslash escapes (its raw text is not its value).
    public var hasEscapes: Bool

    /// Absolute byte offset just after the token's last byte.
    @inlinable
    public var endOffset: Int { offset + length }

    @inlinable
    init(kind: Kind, offset: Int, length: Int, hasEscapes: Bool = false) {
        self.kind = kind
        self.offset = offset
        self.length = length
        self.hasEscapes = hasEscapes
    }
}
