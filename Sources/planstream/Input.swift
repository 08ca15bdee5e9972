import Foundation

/// Reading the command's input and writing its output.
enum Input {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes of FILE, or of standard input for `-`.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "cannot read \(path)")
        }
        return Array(data)
    }

    /// Splits `bytes` into chunks of `size` bytes; 0 means one chunk.
    static func chunks(of bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
        guard size > 0, bytes.count > size else { return [bytes[...]] }
        return stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
    }
}

/// Standard error, for `print(..., to: &standardError)`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

nonisolated(unsafe) var standardError = StandardError()
