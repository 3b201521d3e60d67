#include "cqueuespawn.h"
