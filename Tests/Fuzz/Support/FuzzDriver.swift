#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The entry point shared by the fuzz targets. Built by Tests/Fuzz/run.sh (-sanitize=fuzzer
// -DFUZZING), libFuzzer drives the check; built normally, the target replays the files it is given.

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The check libFuzzer's C callback calls: set once, before the driver starts.
nonisolated(unsafe) private var fuzzCheck: ([UInt8]) -> Void = { _ in }
#endif

extension FuzzInvariants {
    /// Runs `check` under libFuzzer (fuzz builds) or on the files named on the command line.
    public static func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                            check: @escaping ([UInt8]) -> Void) -> CInt {
        #if FUZZING
        fuzzCheck = check
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            fuzzCheck(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
        #else
        let paths = (1..<Int(argc)).compactMap { argv?[$0].map { String(cString: $0) } }
        return replay(paths, check: check)
        #endif
    }

    /// Ends the process with `status`.
    public static func exit(_ status: CInt) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Musl)
        Musl.exit(status)
        #elseif canImport(Darwin)
        Darwin.exit(status)
        #else
        fatalError("exit status \(status)")
        #endif
    }
}
