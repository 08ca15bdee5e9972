import FuzzInvariants

// The fuzz target for FuzzInvariants.checkParser; see Tests/Fuzz/run.sh. The fuzz build passes
// -parse-as-library and -DFUZZING, so libFuzzer's driver is the entry point there.
#if FUZZING
@_cdecl("fuzz_parser_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInvariants.main(argc, argv, check: FuzzInvariants.checkParser)
}
#else
FuzzInvariants.exit(FuzzInvariants.main(CommandLine.argc, CommandLine.unsafeArgv, check: FuzzInvariants.checkParser))
#endif
