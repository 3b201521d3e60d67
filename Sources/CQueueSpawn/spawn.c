#define _GNU_SOURCE
#include "cqueuespawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
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

int qc_spawn_job(const char *command, char *const envp[], int log_fd, int guardian_fd, pid_t *pid_out) {
    /* Block every signal so no handler of the parent runs in the vfork child (which shares its memory). */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    char *const argv[] = {"sh", "-c", (char *)command, NULL};

    pid_t pid = vfork();
    if (pid == 0) {
        /* Child: async-signal-safe calls only. */
        setsid();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127); /* the parent died before PDEATHSIG was armed */
        if (guardian_fd >= 0) {
            /* Tell the guardian about the new group before any of the job's code runs. A dead guardian
               (EPIPE) queues a SIGPIPE while every signal is blocked: ignoring SIGPIPE discards it, so the
               job still starts (without the guardian's protection) instead of dying of it. */
            int32_t record = (int32_t)getpid();
            ssize_t written;
            do { written = write(guardian_fd, &record, sizeof record); } while (written < 0 && errno == EINTR);
            struct sigaction ignore;
            memset(&ignore, 0, sizeof ignore);
            ignore.sa_handler = SIG_IGN;
            sigaction(SIGPIPE, &ignore, NULL);
        }
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
        if (log_fd != 1) dup2(log_fd, 1);
        if (log_fd != 2) dup2(log_fd, 2);
        close_from_3();
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve("/bin/sh", argv, envp);
        int error = errno;
        write_text(2, "queuectl: cannot run /bin/sh: ");
        write_text(2, strerror(error));
        write_text(2, "\n");
        _exit(127);
    }
    int error = pid < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) return error;
    *pid_out = pid;
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
    posix_spawn_file_actions_addopen(&actions, 1, log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
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

/* The guardian's table of live job groups: an mmap'd array (no malloc after fork), grown by doubling. */
static int32_t *guardian_groups = NULL;
static size_t guardian_count = 0;
static size_t guardian_capacity = 0;

static void guardian_add(int32_t pgid) {
    if (guardian_count == guardian_capacity) {
        size_t capacity = guardian_capacity == 0 ? 1024 : guardian_capacity * 2;
        int32_t *grown = mmap(NULL, capacity * sizeof(int32_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (grown == MAP_FAILED) return;
        if (guardian_groups != NULL) {
            memcpy(grown, guardian_groups, guardian_count * sizeof(int32_t));
            munmap(guardian_groups, guardian_capacity * sizeof(int32_t));
        }
        guardian_groups = grown;
        guardian_capacity = capacity;
    }
    guardian_groups[guardian_count++] = pgid;
}

static void guardian_remove(int32_t pgid) {
    for (size_t index = guardian_count; index > 0; index--) {
        if (guardian_groups[index - 1] == pgid) {
            guardian_groups[index - 1] = guardian_groups[--guardian_count];
            return;
        }
    }
}

/* The guardian process: async-signal-safe calls only (it was forked from a multi-threaded process). */
static void guardian_main(int read_fd) {
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

    int32_t buffer[1024];
    size_t held = 0; /* bytes of a partial record carried over */
    for (;;) {
        ssize_t got = read(read_fd, (char *)buffer + held, sizeof buffer - held);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break; /* EOF: every copy of the write end is closed, the worker is gone */
        size_t total = held + (size_t)got;
        size_t records = total / sizeof(int32_t);
        for (size_t index = 0; index < records; index++) {
            int32_t value = buffer[index];
            if (value > 0) guardian_add(value);
            else if (value < 0) guardian_remove(-value);
        }
        held = total % sizeof(int32_t);
        if (held > 0) memmove(buffer, (char *)buffer + records * sizeof(int32_t), held);
    }
    for (size_t index = 0; index < guardian_count; index++) kill(-guardian_groups[index], SIGKILL);
    _exit(0);
}

int qc_guardian_start(int *write_fd_out, pid_t *pid_out) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return errno;
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = fork();
    if (pid == 0) {
        guardian_main(ends[0]);
        _exit(0);
    }
    int error = pid < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(ends[0]);
    if (pid < 0) {
        close(ends[1]);
        return error;
    }
    *write_fd_out = ends[1];
    *pid_out = pid;
    return 0;
}

int qc_guardian_send(int write_fd, int32_t record) {
    for (;;) {
        ssize_t written = write(write_fd, &record, sizeof record);
        if (written == (ssize_t)sizeof record) return 0;
        if (written < 0 && errno == EINTR) continue;
        return written < 0 ? errno : EIO;
    }
}
