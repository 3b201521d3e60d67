#ifndef CQUEUESQLITE_H
#define CQUEUESQLITE_H

#include <sqlite3.h>

/// Keeps the connection from checkpointing the WAL and deleting it when it is the last one to close.
/// sqlite3_db_config is variadic, which Swift cannot call; this wraps the call.
int qc_sqlite_keep_wal_on_close(sqlite3 *db);

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS), which take a global mutex on every allocation
/// SQLite makes. Only effective before SQLite initialises (the first connection opened in the process):
/// afterwards it returns SQLITE_MISUSE and changes nothing. sqlite3_config is variadic too.
int qc_sqlite_disable_memory_statistics(void);

/// Makes every page cache of this process take its pages from malloc one at a time, instead of first allocating
/// room for 20 pages at once (SQLITE_DEFAULT_PCACHE_INITSZ). Process-wide: it takes effect only before SQLite is
/// initialized (the first connection opens); afterwards it returns SQLITE_MISUSE and changes nothing.
/// sqlite3_config is variadic, as sqlite3_db_config above.
int qc_sqlite_allocate_pages_on_demand(void);

/// Makes the default VFS one that writes each WAL frame with one write call instead of two (its header, then its
/// page; wal_writes.c), for every connection opened afterwards. Call it after the sqlite3_config settings above: it
/// initializes SQLite. Returns SQLITE_OK, also when it was done before.
int qc_sqlite_pair_wal_frame_writes(void);

/// Whether another process has the WAL index of a database open (`shm_path`: its `-shm` file): 1 when a process
/// holds it, so a connection opened now uses that index and reads none of the WAL however long it is; 0 when
/// none does (or there is no such file), so the next connection rebuilds the index by reading the whole WAL; -1 on
/// an error. Only for a process with no SQLite connection to that database (wal_index.c says why).
int qc_sqlite_wal_index_in_use(const char *shm_path);

#endif
