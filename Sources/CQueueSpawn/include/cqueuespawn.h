#ifndef CQUEUESPAWN_H
#define CQUEUESPAWN_H

#include <stdint.h>
#include <sys/types.h>

/// Starts `/bin/sh -c command` for a job, from the calling thread, with vfork().
/// The child: new session and process group (pgid = pid), PR_SET_PDEATHSIG(SIGKILL) tied to the
/// calling thread, default signal dispositions and an empty signal mask, stdin /dev/null, stdout and
/// stderr on `log_fd`, every other fd closed, environment `envp`. When `guardian_fd` is >= 0 the child
/// first writes its pgid (an int32 record) to it, before any of the job's code runs. When exec fails,
/// the reason is written to the log and the child exits 127.
/// Returns 0 and stores the pid, or an errno value when no child could be created.
int qc_spawn_job(const char *command, char *const envp[], int log_fd, int guardian_fd, pid_t *pid_out);

/// Forks the guardian: a small process (named `queuectl-guard`) that outlives its worker by a moment
/// to kill the worker's job groups. It reads int32 records from a pipe: +pgid when a job group was
/// started, -pgid when that group is done. At end of file (every copy of the write end closed: the
/// worker exited, however it died) it sends SIGKILL to every group still remembered and exits. It
/// keeps no other descriptor (stdio on /dev/null) and ignores SIGINT, SIGTERM, SIGHUP and SIGQUIT,
/// so a Ctrl-C or a signal to the worker's process group does not take it down first.
/// The write end is close-on-exec (no job inherits it). Returns 0 and stores the write end and the
/// guardian's pid, or an errno value.
int qc_guardian_start(int *write_fd_out, pid_t *pid_out);

/// Writes one record to the guardian (blocking, retried on EINTR). Returns 0 or an errno value
/// (EPIPE when the guardian is gone; the caller ignores SIGPIPE).
int qc_guardian_send(int write_fd, int32_t record);

/// Starts `path` with `argv`/`envp` detached: own session, stdin /dev/null, stdout and stderr
/// appended to `log_path`, fds >= 3 closed, default signal dispositions, empty mask.
/// Returns 0 and stores the pid, or an errno value.
int qc_spawn_detached(const char *path, char *const argv[], char *const envp[], const char *log_path,
                      pid_t *pid_out);

/// pidfd_open(2): a descriptor that becomes readable when `pid` exits (-1 and errno on failure).
int qc_pidfd_open(pid_t pid);

#endif
