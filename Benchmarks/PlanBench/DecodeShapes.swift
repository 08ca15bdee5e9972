import Foundation
import IncrementalJSON
import PlanStream

/// `decode-shapes`: JSONTokenDecoder against Foundation's JSONDecoder on the shapes `Decodable`
/// users have — a plan into structs, long arrays of numbers and strings, dictionaries, deep
/// nesting — each measured side by side in one process. Records the medians of both as
/// `decode-shapes/token` and `decode-shapes/foundation`, the fixture being the shape's name.
enum DecodeShapes {
    struct Shape {
        var name: String
        var bytes: [UInt8]
        var token: ([UInt8]) throws -> Void
        var foundation: (Data) throws -> Void
    }

    struct Node: Decodable {
        var id: Int
        var name: String
        var child: [Node]?
    }

    struct Plan: Decodable {
        var metadata: PlanMetadata?
        var days: [PlanDay]
    }

    static func shape<T: Decodable>(_ name: String, _ text: String, as type: T.Type) -> Shape {
        Shape(name: name, bytes: Array(text.utf8),
              token: { _ = try JSONTokenDecoder().decode(T.self, from: $0) },
              foundation: { _ = try JSONDecoder().decode(T.self, from: $0) })
    }

    static func shapes(plan: [UInt8]?) -> [Shape] {
        var generator = SplitMix(seed: 12)
        var shapes: [Shape] = []
        if let plan { shapes.append(shape("plan-90d-structs", String(decoding: plan, as: UTF8.self), as: Plan.self)) }
        let ints = (0..<100_000).map { _ in String(Int.random(in: -1_000_000_000...1_000_000_000, using: &generator)) }
        shapes.append(shape("ints-100k", "[" + ints.joined(separator: ",") + "]", as: [Int].self))
        let doubles = (0..<100_000).map { _ in String(Double.random(in: -1e6...1e6, using: &generator)) }
        shapes.append(shape("doubles-100k", "[" + doubles.joined(separator: ",") + "]", as: [Double].self))
        let strings = (0..<100_000).map { i in "\"item \(i) \(i % 7 == 0 ? "caf\\u00e9" : "plain")\"" }
        shapes.append(shape("strings-100k", "[" + strings.joined(separator: ",") + "]", as: [String].self))
        let members = (0..<2_000).map { i in
            "\"key\(i)\": {" + (0..<8).map { "\"field\($0)\": \(i * 8 + $0)" }.joined(separator: ", ") + "}"
        }
        shapes.append(shape("dictionaries-2k-by-8", "{" + members.joined(separator: ", ") + "}", as: [String: [String: Int]].self))
        func node(_ depth: Int, _ id: inout Int) -> String {
            id += 1
            let children = depth == 0 ? "" : ", \"child\": [" + (0..<3).map { _ in node(depth - 1, &id) }.joined(separator: ",") + "]"
            return "{\"id\": \(id), \"name\": \"n\(id)\"\(children)}"
        }
        var id = 0
        shapes.append(shape("nested-structs-3^8", node(8, &id), as: Node.self))
        return shapes
    }
}
