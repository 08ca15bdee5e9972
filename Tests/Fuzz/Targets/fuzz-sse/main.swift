import FuzzInvariants

// The fuzz target for FuzzInvariants.checkSSE; see Tests/Fuzz/run.sh. The fuzz build passes
// -parse-as-library and -DFUZZING, so libFuzzer's driver is the entry point there.
#if FUZZING
@_cdecl("fuzz_sse_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInvariants.main(argc, argv, check: FuzzInvariants.checkSSE)
}
#else
FuzzInvariants.exit(FuzzInvariants.main(CommandLine.argc, CommandLine.unsafeArgv, check: FuzzInvariants.checkSSE))
#endif
