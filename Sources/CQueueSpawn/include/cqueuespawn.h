#ifndef CQUEUESPAWN_H
#define CQUEUESPAWN_H

#include <stdint.h>
#include <sys/types.h>

/// Starts `/bin/sh -c command` for a job, from the calling thread: clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD),
/// which suspends the caller until the child execs, as vfork() does. The child: new session and process group
/// (pgid = pid), PR_SET_PDEATHSIG(SIGKILL) tied to the calling thread, default signal dispositions and an empty
/// signal mask, stdin /dev/null, stdout and stderr on `log_fd`, every other fd closed, environment `envp`. When
/// `guardian_entry` is not NULL the child first stores its pgid there (an entry of the guardian's table), before
/// any of the job's code runs. When exec fails, the reason is written to the log and the child exits 127.
/// Returns 0 and stores the pid and a pidfd of the child (close-on-exec; -1 when the kernel gave none: then
/// `qc_pidfd_open`), or an errno value when no child could be created.
int qc_spawn_job(const char *command, char *const envp[], int log_fd, int32_t *guardian_entry, pid_t *pid_out,
                 int *pidfd_out);

/// Forks the guardian: a small process (named `queuectl-guard`) that outlives its worker by a moment
/// to kill the worker's job groups. It shares with the worker a table of `capacity` int32 entries
/// (stored in `*table_out`): a job's child stores its pgid in a free entry as it starts, the worker
/// clears the entry (`qc_guardian_forget`) once the group is done. The guardian sleeps on a pipe
/// nobody writes to; at end of file (every copy of the write end closed: the worker exited, however it
/// died) it sends SIGKILL to every group still in the table and exits. It keeps no other descriptor
/// (stdio on /dev/null) and ignores SIGINT, SIGTERM, SIGHUP and SIGQUIT, so a Ctrl-C or a signal to the
/// worker's process group does not take it down first. The write end is close-on-exec (no job inherits
/// it). Returns 0 and stores the write end and the guardian's pid, or an errno value.
int qc_guardian_start(size_t capacity, int *write_fd_out, pid_t *pid_out, int32_t **table_out);

/// Clears one entry of the guardian's table: that group is done (killed, its leader not yet reaped).
void qc_guardian_forget(int32_t *entry);

/// Starts `path` with `argv`/`envp` detached: own session, stdin /dev/null, stdout and stderr
/// appended to `log_path`, fds >= 3 closed, default signal dispositions, empty mask.
/// Returns 0 and stores the pid, or an errno value.
int qc_spawn_detached(const char *path, char *const argv[], char *const envp[], const char *log_path,
                      pid_t *pid_out);

/// pidfd_open(2): a descriptor that becomes readable when `pid` exits (-1 and errno on failure).
int qc_pidfd_open(pid_t pid);

/// A non-blocking, close-on-exec eventfd to wake a thread sleeping in poll(2) (-1 and errno on failure).
int qc_wake_open(void);

/// Makes the eventfd `fd` readable.
void qc_wake_signal(int fd);

/// Reads the eventfd `fd` empty (non-blocking).
void qc_wake_drain(int fd);

/// pipe2(2) with O_CLOEXEC (so no other child inherits either end): `fds[0]` reads, `fds[1]` writes.
/// Returns 0, or -1 and errno.
int qc_pipe_cloexec(int fds[2]);

/// Whether the child `pid` has exited (a zombie waiting to be reaped), without reaping it (waitid with
/// WNOWAIT): 1 exited, 0 still running, -1 unknown (not our child, or the wait failed).
int qc_child_has_exited(pid_t pid);

/// mallopt(M_ARENA_MAX, 1): threads that allocate from now on share glibc's existing malloc arenas instead of
/// each creating one (<malloc.h> is not part of Swift's Glibc module). Returns mallopt's result (1 on success).
int qc_malloc_share_arenas(void);

#endif
