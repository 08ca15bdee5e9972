import FuzzInvariants
#if canImport(Glibc)
import Glibc
#endif

// Built by Tests/Fuzz/run.sh with -sanitize=fuzzer and -DFUZZING: libFuzzer drives the check.
// Built normally: replays the files given as arguments (a corpus, a saved finding).

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_sse_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        FuzzInvariants.checkSSE(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
#else
@main
enum FuzzSSE {
    static func main() {
        exit(FuzzInvariants.replay(CommandLine.arguments.dropFirst(), check: FuzzInvariants.checkSSE))
    }
}
#endif
