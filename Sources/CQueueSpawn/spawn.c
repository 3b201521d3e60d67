#define _GNU_SOURCE
#include "cqueuespawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Closes descriptors first..last (last ~0U: every one above first); async-signal-safe. */
static void close_descriptors(unsigned first, unsigned last) {
    if (syscall(SYS_close_range, first, last, 0U) == 0) return;
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) max = 65536;
    for (long fd = first; fd < max && (unsigned long)fd <= last; fd++) close((int)fd);
}

static void close_from_3(void) { close_descriptors(3U, ~0U); }

static void write_text(int fd, const char *text) {
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t written = write(fd, text, length);
        if (written <= 0) return;
        text += written;
        length -= (size_t)written;
    }
}

/* What the job's child needs, on the parent's stack (the parent is suspended until the child execs). */
struct job_child {
    const char *command;
    char *const *envp;
    int log_fd;
    int32_t *guardian_entry;
    pid_t parent;
};

/* The job's child, between clone and exec: async-signal-safe calls only, in the parent's memory. */
static int job_child_main(void *raw) {
    const struct job_child *child = raw;
    char *const argv[] = {"sh", "-c", (char *)child->command, NULL};
    setsid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != child->parent) _exit(127); /* the parent died before PDEATHSIG was armed */
    /* Publish the new group to the guardian before any of the job's code runs: a plain store into
       memory the guardian shares, so starting a job wakes no other process. */
    if (child->guardian_entry != NULL) __atomic_store_n(child->guardian_entry, (int32_t)getpid(), __ATOMIC_SEQ_CST);
    struct sigaction deflt;
    memset(&deflt, 0, sizeof deflt);
    deflt.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        sigaction(sig, &deflt, NULL);
    }
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0 && null_fd != 0) {
        dup2(null_fd, 0);
        close(null_fd);
    }
    if (child->log_fd != 1) dup2(child->log_fd, 1);
    if (child->log_fd != 2) dup2(child->log_fd, 2);
    close_from_3();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve("/bin/sh", argv, child->envp);
    int error = errno;
    write_text(2, "queuectl: cannot run /bin/sh: ");
    write_text(2, strerror(error));
    write_text(2, "\n");
    _exit(127);
}

/* The child's stack while it runs before its exec: it sets up descriptors and signals and calls execve, a few
   hundred bytes deep; the rest is margin. */
#define QC_JOB_CHILD_STACK 32768

int qc_spawn_job(const char *command, char *const envp[], int log_fd, int32_t *guardian_entry, pid_t *pid_out,
                 int *pidfd_out) {
    /* Block every signal so no handler of the parent runs in the child (which shares its memory). */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    struct job_child child = {command, envp, log_fd, guardian_entry, getpid()};
    /* clone(CLONE_VM | CLONE_VFORK) as vfork, on a stack of its own here (this frame outlives the child's use of
       it: the parent is suspended until the exec), with CLONE_PIDFD handing back the descriptor that polls
       readable at the exit, so no pidfd_open(2) follows. Linux 5.2 has the flag; older kernels ignore the bit and
       leave pidfd at -1. */
    _Alignas(16) char stack[QC_JOB_CHILD_STACK];
    int pidfd = -1;
    pid_t pid = clone(job_child_main, stack + sizeof stack, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, &child,
                      &pidfd);
    int error = pid < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) return error;
    *pid_out = pid;
    *pidfd_out = pidfd;
    return 0;
}

int qc_spawn_detached(const char *path, char *const argv[], char *const envp[], const char *log_path,
                      pid_t *pid_out) {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    pid_t pid = 0;
    int result = posix_spawn(&pid, path, &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (result == 0) *pid_out = pid;
    return result;
}

int qc_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The guardian process: async-signal-safe calls only (it was forked from a multi-threaded process). */
static void guardian_main(int read_fd, int32_t *table, size_t capacity) {
    /* Keep only the read end, on a number above the standard descriptors. */
    if (read_fd < 3) {
        int moved = fcntl(read_fd, F_DUPFD, 3);
        if (moved < 0) _exit(1);
        read_fd = moved;
    }
    close_descriptors(0U, (unsigned)(read_fd - 1));
    close_descriptors((unsigned)(read_fd + 1), ~0U);
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd == 0) {
        dup2(0, 1);
        dup2(0, 2);
    }
    prctl(PR_SET_NAME, "queuectl-guard", 0, 0, 0);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        action.sa_handler = (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGPIPE || sig == SIGQUIT
                             || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU || sig == SIGUSR1
                             || sig == SIGUSR2)
                                ? SIG_IGN
                                : SIG_DFL;
        sigaction(sig, &action, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* Nothing is ever written to the pipe: a read returns only at end of file, when every copy of the
       write end is closed, i.e. the worker is gone however it died. */
    char byte;
    for (;;) {
        ssize_t got = read(read_fd, &byte, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
    }
    for (size_t index = 0; index < capacity; index++) {
        int32_t pgid = __atomic_load_n(&table[index], __ATOMIC_SEQ_CST);
        if (pgid > 0) kill(-pgid, SIGKILL);
    }
    _exit(0);
}

int qc_guardian_start(size_t capacity, int *write_fd_out, pid_t *pid_out, int32_t **table_out) {
    int32_t *table = mmap(NULL, capacity * sizeof(int32_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (table == MAP_FAILED) return errno;
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) {
        int error = errno;
        munmap(table, capacity * sizeof(int32_t));
        return error;
    }
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = fork();
    if (pid == 0) {
        guardian_main(ends[0], table, capacity);
        _exit(0);
    }
    int error = pid < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(ends[0]);
    if (pid < 0) {
        close(ends[1]);
        munmap(table, capacity * sizeof(int32_t));
        return error;
    }
    *write_fd_out = ends[1];
    *pid_out = pid;
    *table_out = table;
    return 0;
}

void qc_guardian_forget(int32_t *entry) {
    __atomic_store_n(entry, 0, __ATOMIC_SEQ_CST);
}

int qc_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int qc_wake_open(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

void qc_wake_signal(int fd) {
    eventfd_write(fd, 1);
}

void qc_wake_drain(int fd) {
    eventfd_t count;
    eventfd_read(fd, &count);
}
