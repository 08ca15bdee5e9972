import FuzzInvariants

// The fuzz target for FuzzInvariants.checkRepair; see Tests/Fuzz/run.sh. The fuzz build passes
// -parse-as-library and -DFUZZING, so libFuzzer's driver is the entry point there.
#if FUZZING
@_cdecl("fuzz_repair_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInvariants.main(argc, argv, check: FuzzInvariants.checkRepair)
}
#else
FuzzInvariants.exit(FuzzInvariants.main(CommandLine.argc, CommandLine.unsafeArgv, check: FuzzInvariants.checkRepair))
#endif
