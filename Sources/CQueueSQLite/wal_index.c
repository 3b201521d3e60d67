#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "cqueuesqlite.h"

// SQLite's unix VFS keeps its "DMS" lock on byte 128 of the -shm file (UNIX_SHM_DMS in os_unix.c: after the
// 8 lock bytes at 120): every connection that has the WAL index mapped holds it shared, and the first one to open
// it takes it exclusively, truncates the file and rebuilds the index from the WAL. F_GETLK tests it without taking
// it. The descriptor is opened only for the test and closed at once, which is safe only in a process that has no
// SQLite connection to this database: closing any descriptor of a file drops all of the process's POSIX locks on it.
int qc_sqlite_wal_index_in_use(const char *shm_path) {
    int fd = open(shm_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return errno == ENOENT ? 0 : -1;
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 128, .l_len = 1};
    int result = fcntl(fd, F_GETLK, &lock);
    close(fd);
    if (result != 0) return -1;
    return lock.l_type != F_UNLCK;
}
