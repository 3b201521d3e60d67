#include "cqueuesqlite.h"

#include <string.h>

// A VFS over the process's default one that writes each transaction's WAL frames with one write call.
//
// SQLite writes a WAL frame as two writes, its 24-byte header and then its page, so a transaction of ten frames
// makes twenty `pwrite` calls, each paying the file system's whole write path for a few bytes. Here a WAL file's
// writes that continue where the previous one ended are gathered in a buffer and written together when the
// commit frame's page arrives (a frame header whose "database size after commit" field is not zero marks it), when
// the buffer is full, and before anything else is done with the file (a read, a sync, a truncation, a size query,
// a write elsewhere, a file control, a close). SQLite publishes new frames to other connections through the
// wal-index only after writing the commit frame, so nobody can look for a frame while it is still buffered: every
// write has reached the file when the call that wrote the commit frame returns, as without the buffer. A
// transaction cut short (a crash) leaves its frames unwritten instead of half written; SQLite ignores both alike.
// Only WAL files are wrapped; the database and its other files go straight to the default VFS.

enum {
    FRAME_HEADER_BYTES = 24,
    BUFFER_LIMIT = 64 * 1024,
};

typedef struct GatheringFile {
    sqlite3_file base;
    sqlite3_file *real;
    unsigned char *buffer;
    int capacity;
    int pending;
    sqlite3_int64 pendingOffset;
    // The last write was a commit frame's header: its page ends the transaction's frames.
    int commitFrameNext;
} GatheringFile;

static sqlite3_vfs gatheringVFS;

static sqlite3_vfs *realVFS(void) { return (sqlite3_vfs *)gatheringVFS.pAppData; }

static sqlite3_file *realFile(sqlite3_file *file) { return ((GatheringFile *)file)->real; }

static int flush(GatheringFile *file) {
    if (file->pending == 0) return SQLITE_OK;
    int pending = file->pending;
    file->pending = 0;
    return file->real->pMethods->xWrite(file->real, file->buffer, pending, file->pendingOffset);
}

static int reserve(GatheringFile *file, int bytes) {
    if (bytes <= file->capacity) return SQLITE_OK;
    int capacity = file->capacity == 0 ? 32 * 1024 : file->capacity;
    while (capacity < bytes) capacity *= 2;
    unsigned char *buffer = sqlite3_realloc(file->buffer, capacity);
    if (buffer == 0) return SQLITE_NOMEM;
    file->buffer = buffer;
    file->capacity = capacity;
    return SQLITE_OK;
}

static int isCommitFrameHeader(const void *data, int bytes) {
    if (bytes != FRAME_HEADER_BYTES) return 0;
    const unsigned char *header = data;
    return (header[4] | header[5] | header[6] | header[7]) != 0;
}

static int gatheringWrite(sqlite3_file *base, const void *data, int bytes, sqlite3_int64 offset) {
    GatheringFile *file = (GatheringFile *)base;
    int endsCommitFrame = file->commitFrameNext;
    file->commitFrameNext = 0;
    int continues = file->pending > 0 && offset == file->pendingOffset + file->pending;
    if (continues && file->pending + bytes <= BUFFER_LIMIT && reserve(file, file->pending + bytes) == SQLITE_OK) {
        memcpy(file->buffer + file->pending, data, (size_t)bytes);
        file->pending += bytes;
    } else {
        int rc = flush(file);
        if (rc != SQLITE_OK) return rc;
        if (endsCommitFrame || bytes > BUFFER_LIMIT || reserve(file, bytes) != SQLITE_OK) {
            return file->real->pMethods->xWrite(file->real, data, bytes, offset);
        }
        memcpy(file->buffer, data, (size_t)bytes);
        file->pending = bytes;
        file->pendingOffset = offset;
    }
    if (endsCommitFrame) return flush(file);
    file->commitFrameNext = isCommitFrameHeader(data, bytes);
    return SQLITE_OK;
}

static int gatheringClose(sqlite3_file *base) {
    GatheringFile *file = (GatheringFile *)base;
    int flushed = flush(file);
    int rc = file->real->pMethods->xClose(file->real);
    sqlite3_free(file->buffer);
    file->buffer = 0;
    file->capacity = 0;
    return rc != SQLITE_OK ? rc : flushed;
}

// Every other operation sees the file as SQLite wrote it: pending frames are written first.
#define FLUSHED(file) \
    do { \
        int flushed = flush((GatheringFile *)(file)); \
        if (flushed != SQLITE_OK) return flushed; \
    } while (0)

static int gatheringRead(sqlite3_file *file, void *data, int bytes, sqlite3_int64 offset) {
    FLUSHED(file);
    return realFile(file)->pMethods->xRead(realFile(file), data, bytes, offset);
}

static int gatheringTruncate(sqlite3_file *file, sqlite3_int64 size) {
    FLUSHED(file);
    return realFile(file)->pMethods->xTruncate(realFile(file), size);
}

static int gatheringSync(sqlite3_file *file, int flags) {
    FLUSHED(file);
    return realFile(file)->pMethods->xSync(realFile(file), flags);
}

static int gatheringFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    FLUSHED(file);
    return realFile(file)->pMethods->xFileSize(realFile(file), size);
}

static int gatheringLock(sqlite3_file *file, int lock) {
    FLUSHED(file);
    return realFile(file)->pMethods->xLock(realFile(file), lock);
}

static int gatheringUnlock(sqlite3_file *file, int lock) {
    FLUSHED(file);
    return realFile(file)->pMethods->xUnlock(realFile(file), lock);
}

static int gatheringCheckReservedLock(sqlite3_file *file, int *reserved) {
    FLUSHED(file);
    return realFile(file)->pMethods->xCheckReservedLock(realFile(file), reserved);
}

static int gatheringFileControl(sqlite3_file *file, int operation, void *argument) {
    FLUSHED(file);
    return realFile(file)->pMethods->xFileControl(realFile(file), operation, argument);
}

static int gatheringSectorSize(sqlite3_file *file) {
    return realFile(file)->pMethods->xSectorSize(realFile(file));
}

static int gatheringDeviceCharacteristics(sqlite3_file *file) {
    return realFile(file)->pMethods->xDeviceCharacteristics(realFile(file));
}

static int gatheringShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **memory) {
    FLUSHED(file);
    return realFile(file)->pMethods->xShmMap(realFile(file), region, size, extend, memory);
}

static int gatheringShmLock(sqlite3_file *file, int offset, int count, int flags) {
    FLUSHED(file);
    return realFile(file)->pMethods->xShmLock(realFile(file), offset, count, flags);
}

static void gatheringShmBarrier(sqlite3_file *file) {
    flush((GatheringFile *)file);
    realFile(file)->pMethods->xShmBarrier(realFile(file));
}

static int gatheringShmUnmap(sqlite3_file *file, int delete) {
    FLUSHED(file);
    return realFile(file)->pMethods->xShmUnmap(realFile(file), delete);
}

static int gatheringFetch(sqlite3_file *file, sqlite3_int64 offset, int bytes, void **page) {
    FLUSHED(file);
    return realFile(file)->pMethods->xFetch(realFile(file), offset, bytes, page);
}

static int gatheringUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) {
    return realFile(file)->pMethods->xUnfetch(realFile(file), offset, page);
}

static const sqlite3_io_methods gatheringMethods = {
    .iVersion = 3,
    .xClose = gatheringClose,
    .xRead = gatheringRead,
    .xWrite = gatheringWrite,
    .xTruncate = gatheringTruncate,
    .xSync = gatheringSync,
    .xFileSize = gatheringFileSize,
    .xLock = gatheringLock,
    .xUnlock = gatheringUnlock,
    .xCheckReservedLock = gatheringCheckReservedLock,
    .xFileControl = gatheringFileControl,
    .xSectorSize = gatheringSectorSize,
    .xDeviceCharacteristics = gatheringDeviceCharacteristics,
    .xShmMap = gatheringShmMap,
    .xShmLock = gatheringShmLock,
    .xShmBarrier = gatheringShmBarrier,
    .xShmUnmap = gatheringShmUnmap,
    .xFetch = gatheringFetch,
    .xUnfetch = gatheringUnfetch,
};

static int gatheringOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *base, int flags, int *outFlags) {
    sqlite3_vfs *real = realVFS();
    // Anything but a WAL file is the default VFS's own file, opened in place (the room it needs fits in ours).
    if ((flags & SQLITE_OPEN_WAL) == 0) return real->xOpen(real, name, base, flags, outFlags);
    GatheringFile *file = (GatheringFile *)base;
    memset(file, 0, sizeof(GatheringFile));
    file->real = (sqlite3_file *)&file[1];
    int rc = real->xOpen(real, name, file->real, flags, outFlags);
    // The real file's methods are set when it needs closing, even after a failed open; then so are ours. The
    // default VFS of Unix gives every file methods of version 3, which all of ours forward to.
    if (file->real->pMethods != 0) file->base.pMethods = &gatheringMethods;
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

int qc_sqlite_gather_wal_writes(void) {
    if (gatheringVFS.zName != 0) return SQLITE_OK;
    sqlite3_vfs *real = sqlite3_vfs_find(0);
    if (real == 0 || real->iVersion < 3) return SQLITE_ERROR;
    gatheringVFS = (sqlite3_vfs){
        .iVersion = 3,
        .szOsFile = (int)sizeof(GatheringFile) + real->szOsFile,
        .mxPathname = real->mxPathname,
        .zName = "queuectl-gathering",
        .pAppData = real,
        .xOpen = gatheringOpen,
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
    return sqlite3_vfs_register(&gatheringVFS, 1);
}
