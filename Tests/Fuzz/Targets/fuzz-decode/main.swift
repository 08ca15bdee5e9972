import FuzzSupport
import JSONFuzzInvariants
import PlanFuzzInvariants

// The fuzz target for FuzzInvariants.checkDecoding and checkPlanDecoding (see Tests/Fuzz/run.sh):
// libFuzzer's driver in a fuzz build (-sanitize=fuzzer -DFUZZING), a replay of the files given as
// arguments otherwise.
FuzzInvariants.exit(FuzzInvariants.main(CommandLine.argc, CommandLine.unsafeArgv) { input in
    FuzzInvariants.checkDecoding(input)
    FuzzInvariants.checkPlanDecoding(input)
})
