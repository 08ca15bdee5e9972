import CommandLineSupport
import IncrementalJSON

/// `planstream validate` and `planstream events`.
enum ParserCommands {
    static let usage = """
        planstream validate FILE [--chunk-size N] [--lenient]
        planstream events FILE [--chunk-size N] [--lenient]
        """

    /// Feeds FILE in chunks; exit 0 when valid, 1 with the error on standard error.
    static func validate(_ arguments: [String]) throws -> Int32 {
        try run(arguments) { _, _ in }
    }

    /// Prints one JSON line per parser event; exit 1 at the first error.
    static func events(_ arguments: [String]) throws -> Int32 {
        try run(arguments) { token, parser in
            print(line(for: parser.event(for: token)))
        }
    }

    private static func run(_ arguments: [String], onToken: (JSONToken, JSONParser) -> Void) throws -> Int32 {
        let options = try CommandLineArguments(arguments, valued: ["chunk-size"], switches: ["lenient"])
        let bytes = try Input.read(try options.single("FILE"))
        let parser = JSONParser(options: options.flag("lenient") ? .llm : .strict)
        do {
            for chunk in Input.chunks(of: bytes, size: try options.count("chunk-size", default: 0)) {
                parser.push(chunk)
                while let token = try parser.nextToken() { onToken(token, parser) }
            }
            parser.endInput()
            while let token = try parser.nextToken() { onToken(token, parser) }
            return 0
        } catch {
            print("error: \(error)", to: &standardError)
            return 1
        }
    }

    /// `{"event":"key","offset":12,"path":"$.title","value":"title"}`
    static func line(for event: JSONEvent) -> String {
        let name: String
        var value: String?
        switch event.kind {
        case .objectStart: name = "objectStart"
        case .objectEnd: name = "objectEnd"
        case .arrayStart: name = "arrayStart"
        case .arrayEnd: name = "arrayEnd"
        case .key(let key): name = "key"; value = JSONValue.string(key).serialized()
        case .string(let string): name = "string"; value = JSONValue.string(string).serialized()
        case .number(let number): name = "number"; value = number.text
        case .bool(let bool): name = "bool"; value = bool ? "true" : "false"
        case .null: name = "null"; value = "null"
        }
        let path = JSONValue.string(event.path.description).serialized()
        let head = #"{"event":"\#(name)","offset":\#(event.offset),"path":\#(path)"#
        return head + (value.map { #","value":\#($0)}"# } ?? "}")
    }
}
