import Foundation
import TestSupport
import XCTest

/// Every Swift example in the README, in the `///` comments of `Sources/` and in its DocC
/// articles is held, line for
/// line, between `— begin` and `— end` markers in a test file, where it compiles (and mostly
/// runs, with its stated results checked after it). Editing an example without its test fails
/// here, so an example cannot drift from the API. Lines are compared without their indentation;
/// `import` and `#if`/`#endif` lines are file-level, so they are not looked for.
final class ExampleCoverageTests: XCTestCase {
    struct Example {
        var file: String
        /// The 1-based line of the opening fence.
        var line: Int
        var lines: [String]
        var location: String { "\(file):\(line)" }
    }

    func testEveryExampleIsCompiledByATest() throws {
        let root = fixturesURL.deletingLastPathComponent()
        var examples = Self.examples(inMarkdown: try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8),
                                     named: "README.md")
        for file in try Self.files(under: root.appendingPathComponent("Sources"), withExtension: "swift") {
            let text = try String(contentsOf: file, encoding: .utf8)
            examples += Self.examples(inDocComments: text, named: String(file.path.dropFirst(root.path.count + 1)))
        }
        // The DocC articles (Sources/*/Documentation.docc).
        for file in try Self.files(under: root.appendingPathComponent("Sources"), withExtension: "md") {
            let text = try String(contentsOf: file, encoding: .utf8)
            examples += Self.examples(inMarkdown: text, named: String(file.path.dropFirst(root.path.count + 1)))
        }
        XCTAssertGreaterThan(examples.count, 40)
        var held: [[String]] = []
        for file in try Self.files(under: root.appendingPathComponent("Tests"), withExtension: "swift") {
            held += Self.markedRegions(in: try String(contentsOf: file, encoding: .utf8))
        }
        for example in examples {
            let needle = example.lines.map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("import ") && !$0.hasPrefix("#if") && !$0.hasPrefix("#endif") }
            let found = held.contains { region in
                region.count >= needle.count && (0...(region.count - needle.count)).contains { start in
                    Array(region[start..<start + needle.count]) == needle
                }
            }
            XCTAssertTrue(found, "\(example.location): no test holds this example between markers:\n" + needle.joined(separator: "\n"))
        }
    }

    static func files(under folder: URL, withExtension pathExtension: String) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { $0.pathExtension == pathExtension }.sorted { $0.path < $1.path }
    }

    /// The ```` ```swift ```` blocks of a Markdown text.
    static func examples(inMarkdown text: String, named name: String) -> [Example] {
        var examples: [Example] = []
        var current: [String]?
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            if current == nil, line.hasPrefix("```swift") {
                current = []
                examples.append(Example(file: name, line: number + 1, lines: []))
            } else if current != nil, line.hasPrefix("```") {
                examples[examples.count - 1].lines = current!
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return examples
    }

    /// The ```` ```swift ```` blocks of the `///` comments of a Swift file.
    static func examples(inDocComments text: String, named name: String) -> [Example] {
        var markdown: [String] = []
        var lineNumbers: [Int] = []
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("///") else { continue }
            var content = trimmed.dropFirst(3)
            if content.hasPrefix(" ") { content = content.dropFirst() }
            markdown.append(String(content))
            lineNumbers.append(number + 1)
        }
        return examples(inMarkdown: markdown.joined(separator: "\n"), named: name).map { example in
            var example = example
            example.line = lineNumbers[example.line - 1]
            return example
        }
    }

    /// The lines between `— begin` and `— end` marker comments, without indentation.
    static func markedRegions(in text: String) -> [[String]] {
        var regions: [[String]] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("//"), trimmed.hasSuffix("— begin") {
                current = []
            } else if trimmed.hasPrefix("//"), trimmed.hasSuffix("— end"), let region = current {
                regions.append(region)
                current = nil
            } else if current != nil, !trimmed.isEmpty {
                current!.append(trimmed)
            }
        }
        return regions
    }
}
