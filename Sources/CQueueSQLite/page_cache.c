#include "cqueuesqlite.h"

int qc_sqlite_allocate_pages_on_demand(void) {
    return sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)0, 0, 0);
}
