import FuzzSupport
import JSONFuzzInvariants

// The fuzz target for FuzzInvariants.checkParser (see Tests/Fuzz/run.sh): libFuzzer's driver in a
// fuzz build (-sanitize=fuzzer -DFUZZING), a replay of the files given as arguments otherwise.
FuzzInvariants.exit(FuzzInvariants.main(CommandLine.argc, CommandLine.unsafeArgv, check: FuzzInvariants.checkParser))
