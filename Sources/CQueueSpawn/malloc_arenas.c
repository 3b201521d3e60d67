#include <malloc.h>

#include "cqueuespawn.h"

int qc_malloc_share_arenas(void) {
    return mallopt(M_ARENA_MAX, 1);
}
