// The process layer is Linux's: a job's processes are tied to their worker with `PR_SET_PDEATHSIG`, process
// identities and group sweeps read `/proc`, a job's session comes from glibc's `POSIX_SPAWN_SETSID` (CQueueSpawn),
// and hosts are told apart by `/proc/sys/kernel/random/boot_id` and the pid namespace. Elsewhere the build stops
// here with one clear line instead of failing later on a missing symbol.
#if !os(Linux)
    #error("queuectl's worker runs jobs with Linux-only process controls (PR_SET_PDEATHSIG, /proc); build it on Linux")
#endif
