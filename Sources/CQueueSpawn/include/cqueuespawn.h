#ifndef CQUEUESPAWN_H
#define CQUEUESPAWN_H

#include <sys/types.h>

/// Starts `/bin/sh -c command` for a job, from the calling thread, with vfork().
/// The child: new session and process group (pgid = pid), PR_SET_PDEATHSIG(SIGKILL) tied to the
/// calling thread, default signal dispositions and an empty signal mask, stdin /dev/null, stdout and
/// stderr on `log_fd`, every other fd closed, environment `envp`. When exec fails, the reason is
/// written to the log and the child exits 127.
/// Returns 0 and stores the pid, or an errno value when no child could be created.
int qc_spawn_job(const char *command, char *const envp[], int log_fd, pid_t *pid_out);

/// Starts `path` with `argv`/`envp` detached: own session, stdin /dev/null, stdout and stderr
/// appended to `log_path`, fds >= 3 closed, default signal dispositions, empty mask.
/// Returns 0 and stores the pid, or an errno value.
int qc_spawn_detached(const char *path, char *const argv[], char *const envp[], const char *log_path,
                      pid_t *pid_out);

/// pidfd_open(2): a descriptor that becomes readable when `pid` exits (-1 and errno on failure).
int qc_pidfd_open(pid_t pid);

#endif
