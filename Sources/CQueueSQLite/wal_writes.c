#include "cqueuesqlite.h"

#include <string.h>

// A VFS over the process's default one that writes each WAL frame with one write call instead of two.
//
// SQLite writes a WAL frame as two writes, its 24-byte header and then its page (`walWriteOneFrame`), so a
// transaction of ten frames makes twenty `pwrite` calls, each paying the file system's whole write path. Here a
// frame header appended to a WAL file is held until the very next call on that file: when that call writes the
// frame's page right after it, the two go out as one write; any other call first writes the header alone. SQLite
// always writes the page in the call after its header, so a frame is never held past its own write: whenever
// SQLite does anything else (publishes frames in the wal-index, syncs, rolls back, reads, checkpoints), every
// byte it wrote is in the file, as without this VFS.
//
// What is held: a write of exactly 24 bytes where a frame starts (32 + n × (24 + page size)), at or past the end of
// everything this handle wrote since the WAL last started over (a write at offset 0 starts it over). That is an
// appended frame header. The headers SQLite rewrites in place (`walRewriteChecksums`, after a spilled page was
// written again) lie below that end, and the last piece of a page SQLite splits around a sync (a commit padded to a
// sector boundary, with psow=0) does not start a frame: both are written at once, as are pages, the WAL header and
// everything else. Nothing is held on a WAL file whose device lacks SQLITE_IOCAP_POWERSAFE_OVERWRITE.
//
// Written by hand: SQLite has no option for it and no package offers it. Gathering a whole transaction's frames
// into one write was tried first and is unsafe: SQLite publishes frames through the database file's shared
// memory, not through the WAL file, so frames still buffered at that moment (a spilled transaction rolled back,
// a rewritten commit header) would reach the file late, over another writer's frames.

enum {
    WAL_HEADER_BYTES = 32,
    FRAME_HEADER_BYTES = 24,
};

typedef struct PairingFile {
    sqlite3_file base;
    sqlite3_file *real;
    // The held header and then its page: room for both, grown to the page size on first use.
    unsigned char *buffer;
    int capacity;
    // Whether headers are held at all: not on a device without SQLITE_IOCAP_POWERSAFE_OVERWRITE.
    int pairs;
    int holding;
    sqlite3_int64 heldOffset;
    // The end of the furthest write through this handle since the WAL last started over.
    sqlite3_int64 writtenEnd;
    // The database's page size, from the WAL header (0: not known yet, or not valid: nothing is held).
    int pageSize;
} PairingFile;

static sqlite3_vfs pairingVFS;

static sqlite3_vfs *realVFS(void) { return (sqlite3_vfs *)pairingVFS.pAppData; }

static sqlite3_file *realFile(sqlite3_file *file) { return ((PairingFile *)file)->real; }

static int realWrite(PairingFile *file, const void *data, int bytes, sqlite3_int64 offset) {
    int rc = file->real->pMethods->xWrite(file->real, data, bytes, offset);
    if (rc == SQLITE_OK && offset + bytes > file->writtenEnd) file->writtenEnd = offset + bytes;
    return rc;
}

// Writes a held header alone: whatever the next call is, the header is in the file before it runs.
static int releaseHeader(PairingFile *file) {
    if (!file->holding) return SQLITE_OK;
    file->holding = 0;
    return realWrite(file, file->buffer, FRAME_HEADER_BYTES, file->heldOffset);
}

static int reserve(PairingFile *file, int bytes) {
    if (bytes <= file->capacity) return SQLITE_OK;
    unsigned char *buffer = sqlite3_realloc(file->buffer, bytes);
    if (buffer == 0) return SQLITE_NOMEM;
    file->buffer = buffer;
    file->capacity = bytes;
    return SQLITE_OK;
}

// The page size a WAL header gives (bytes 8 to 11, big-endian), or 0 for a value no WAL holds.
static int pageSizeInHeader(const unsigned char *bytes) {
    unsigned size = ((unsigned)bytes[0] << 24) | ((unsigned)bytes[1] << 16) | ((unsigned)bytes[2] << 8) | bytes[3];
    return size >= 512 && size <= 65536 && (size & (size - 1)) == 0 ? (int)size : 0;
}

// Whether a write of `bytes` at `offset` is the header of a frame appended to the WAL: 24 bytes where a frame
// starts (frames follow the 32-byte WAL header, each a header and a page), at or past the furthest write. Where a
// frame starts matters: a commit padded to a sector boundary (psow=0) may split a page around a sync and leave a
// last piece of 24 bytes, which no further call on the file would write.
static int isAppendedFrameHeader(PairingFile *file, int bytes, sqlite3_int64 offset) {
    if (!file->pairs || bytes != FRAME_HEADER_BYTES || offset < WAL_HEADER_BYTES || offset < file->writtenEnd) return 0;
    if (file->pageSize == 0) {
        unsigned char size[4];
        if (file->real->pMethods->xRead(file->real, size, 4, 8) != SQLITE_OK) return 0;
        file->pageSize = pageSizeInHeader(size);
        if (file->pageSize == 0) return 0;
    }
    return (offset - WAL_HEADER_BYTES) % (file->pageSize + FRAME_HEADER_BYTES) == 0;
}

static int pairingWrite(sqlite3_file *base, const void *data, int bytes, sqlite3_int64 offset) {
    PairingFile *file = (PairingFile *)base;
    if (file->holding) {
        if (offset == file->heldOffset + FRAME_HEADER_BYTES
            && reserve(file, FRAME_HEADER_BYTES + bytes) == SQLITE_OK) {
            memcpy(file->buffer + FRAME_HEADER_BYTES, data, (size_t)bytes);
            file->holding = 0;
            return realWrite(file, file->buffer, FRAME_HEADER_BYTES + bytes, file->heldOffset);
        }
        int rc = releaseHeader(file);
        if (rc != SQLITE_OK) return rc;
    }
    if (offset == 0) {
        // The WAL starts over with its header, which gives the page size.
        file->writtenEnd = 0;
        file->pageSize = bytes >= 12 ? pageSizeInHeader((const unsigned char *)data + 8) : 0;
    }
    if (isAppendedFrameHeader(file, bytes, offset) && reserve(file, FRAME_HEADER_BYTES) == SQLITE_OK) {
        memcpy(file->buffer, data, FRAME_HEADER_BYTES);
        file->heldOffset = offset;
        file->holding = 1;
        return SQLITE_OK;
    }
    return realWrite(file, data, bytes, offset);
}

static int pairingClose(sqlite3_file *base) {
    PairingFile *file = (PairingFile *)base;
    int flushed = releaseHeader(file);
    int rc = file->real->pMethods->xClose(file->real);
    sqlite3_free(file->buffer);
    file->buffer = 0;
    file->capacity = 0;
    return rc != SQLITE_OK ? rc : flushed;
}

// Every other call sees the file as SQLite wrote it: a held header is written first (SQLite never makes one
// between a header and its page; this is a guard, not a path it takes).
#define FLUSHED(file) \
    do { \
        int flushed = releaseHeader((PairingFile *)(file)); \
        if (flushed != SQLITE_OK) return flushed; \
    } while (0)

static int pairingRead(sqlite3_file *file, void *data, int bytes, sqlite3_int64 offset) {
    FLUSHED(file);
    return realFile(file)->pMethods->xRead(realFile(file), data, bytes, offset);
}

static int pairingTruncate(sqlite3_file *file, sqlite3_int64 size) {
    FLUSHED(file);
    PairingFile *pairing = (PairingFile *)file;
    if (pairing->writtenEnd > size) pairing->writtenEnd = size;
    return realFile(file)->pMethods->xTruncate(realFile(file), size);
}

static int pairingSync(sqlite3_file *file, int flags) {
    FLUSHED(file);
    return realFile(file)->pMethods->xSync(realFile(file), flags);
}

static int pairingFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    FLUSHED(file);
    return realFile(file)->pMethods->xFileSize(realFile(file), size);
}

static int pairingLock(sqlite3_file *file, int lock) {
    FLUSHED(file);
    return realFile(file)->pMethods->xLock(realFile(file), lock);
}

static int pairingUnlock(sqlite3_file *file, int lock) {
    FLUSHED(file);
    return realFile(file)->pMethods->xUnlock(realFile(file), lock);
}

static int pairingCheckReservedLock(sqlite3_file *file, int *reserved) {
    FLUSHED(file);
    return realFile(file)->pMethods->xCheckReservedLock(realFile(file), reserved);
}

static int pairingFileControl(sqlite3_file *file, int operation, void *argument) {
    FLUSHED(file);
    return realFile(file)->pMethods->xFileControl(realFile(file), operation, argument);
}

static int pairingSectorSize(sqlite3_file *file) {
    return realFile(file)->pMethods->xSectorSize(realFile(file));
}

static int pairingDeviceCharacteristics(sqlite3_file *file) {
    return realFile(file)->pMethods->xDeviceCharacteristics(realFile(file));
}

static int pairingShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **memory) {
    FLUSHED(file);
    return realFile(file)->pMethods->xShmMap(realFile(file), region, size, extend, memory);
}

static int pairingShmLock(sqlite3_file *file, int offset, int count, int flags) {
    FLUSHED(file);
    return realFile(file)->pMethods->xShmLock(realFile(file), offset, count, flags);
}

static void pairingShmBarrier(sqlite3_file *file) {
    realFile(file)->pMethods->xShmBarrier(realFile(file));
}

static int pairingShmUnmap(sqlite3_file *file, int delete) {
    FLUSHED(file);
    return realFile(file)->pMethods->xShmUnmap(realFile(file), delete);
}

static int pairingFetch(sqlite3_file *file, sqlite3_int64 offset, int bytes, void **page) {
    FLUSHED(file);
    return realFile(file)->pMethods->xFetch(realFile(file), offset, bytes, page);
}

static int pairingUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) {
    return realFile(file)->pMethods->xUnfetch(realFile(file), offset, page);
}

static const sqlite3_io_methods pairingMethods = {
    .iVersion = 3,
    .xClose = pairingClose,
    .xRead = pairingRead,
    .xWrite = pairingWrite,
    .xTruncate = pairingTruncate,
    .xSync = pairingSync,
    .xFileSize = pairingFileSize,
    .xLock = pairingLock,
    .xUnlock = pairingUnlock,
    .xCheckReservedLock = pairingCheckReservedLock,
    .xFileControl = pairingFileControl,
    .xSectorSize = pairingSectorSize,
    .xDeviceCharacteristics = pairingDeviceCharacteristics,
    .xShmMap = pairingShmMap,
    .xShmLock = pairingShmLock,
    .xShmBarrier = pairingShmBarrier,
    .xShmUnmap = pairingShmUnmap,
    .xFetch = pairingFetch,
    .xUnfetch = pairingUnfetch,
};

static int pairingOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *base, int flags, int *outFlags) {
    sqlite3_vfs *real = realVFS();
    // Anything but a WAL file is the default VFS's own file, opened in place (the room it needs fits in ours).
    if ((flags & SQLITE_OPEN_WAL) == 0) return real->xOpen(real, name, base, flags, outFlags);
    PairingFile *file = (PairingFile *)base;
    memset(file, 0, sizeof(PairingFile));
    file->real = (sqlite3_file *)&file[1];
    int rc = real->xOpen(real, name, file->real, flags, outFlags);
    // The real file's methods are set when it needs closing, even after a failed open; then so are ours. The
    // default VFS of Unix gives every file methods of version 3, which all of ours forward to.
    if (file->real->pMethods == 0) return rc;
    file->base.pMethods = &pairingMethods;
    int device = file->real->pMethods->xDeviceCharacteristics(file->real);
    file->pairs = (device & SQLITE_IOCAP_POWERSAFE_OVERWRITE) != 0;
    return rc;
}

static int forwardDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    return realVFS()->xDelete(realVFS(), name, syncDirectory);
}

static int forwardAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    return realVFS()->xAccess(realVFS(), name, flags, result);
}

static int forwardFullPathname(sqlite3_vfs *vfs, const char *name, int bytes, char *output) {
    return realVFS()->xFullPathname(realVFS(), name, bytes, output);
}

static void *forwardDlOpen(sqlite3_vfs *vfs, const char *name) { return realVFS()->xDlOpen(realVFS(), name); }

static void forwardDlError(sqlite3_vfs *vfs, int bytes, char *message) {
    realVFS()->xDlError(realVFS(), bytes, message);
}

static void (*forwardDlSym(sqlite3_vfs *vfs, void *library, const char *symbol))(void) {
    return realVFS()->xDlSym(realVFS(), library, symbol);
}

static void forwardDlClose(sqlite3_vfs *vfs, void *library) { realVFS()->xDlClose(realVFS(), library); }

static int forwardRandomness(sqlite3_vfs *vfs, int bytes, char *output) {
    return realVFS()->xRandomness(realVFS(), bytes, output);
}

static int forwardSleep(sqlite3_vfs *vfs, int microseconds) { return realVFS()->xSleep(realVFS(), microseconds); }

static int forwardCurrentTime(sqlite3_vfs *vfs, double *now) { return realVFS()->xCurrentTime(realVFS(), now); }

static int forwardGetLastError(sqlite3_vfs *vfs, int bytes, char *message) {
    return realVFS()->xGetLastError(realVFS(), bytes, message);
}

static int forwardCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    return realVFS()->xCurrentTimeInt64(realVFS(), now);
}

static int forwardSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    return realVFS()->xSetSystemCall(realVFS(), name, call);
}

static sqlite3_syscall_ptr forwardGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    return realVFS()->xGetSystemCall(realVFS(), name);
}

static const char *forwardNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    return realVFS()->xNextSystemCall(realVFS(), name);
}

int qc_sqlite_pair_wal_frame_writes(void) {
    if (pairingVFS.zName != 0) return SQLITE_OK;
    sqlite3_vfs *real = sqlite3_vfs_find(0);
    if (real == 0 || real->iVersion < 3) return SQLITE_ERROR;
    pairingVFS = (sqlite3_vfs){
        .iVersion = 3,
        .szOsFile = (int)sizeof(PairingFile) + real->szOsFile,
        .mxPathname = real->mxPathname,
        .zName = "queuectl-pairing",
        .pAppData = real,
        .xOpen = pairingOpen,
        .xDelete = forwardDelete,
        .xAccess = forwardAccess,
        .xFullPathname = forwardFullPathname,
        .xDlOpen = forwardDlOpen,
        .xDlError = forwardDlError,
        .xDlSym = forwardDlSym,
        .xDlClose = forwardDlClose,
        .xRandomness = forwardRandomness,
        .xSleep = forwardSleep,
        .xCurrentTime = forwardCurrentTime,
        .xGetLastError = forwardGetLastError,
        .xCurrentTimeInt64 = forwardCurrentTimeInt64,
        .xSetSystemCall = forwardSetSystemCall,
        .xGetSystemCall = forwardGetSystemCall,
        .xNextSystemCall = forwardNextSystemCall,
    };
    return sqlite3_vfs_register(&pairingVFS, 1);
}
