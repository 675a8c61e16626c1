/* wasi_stubs.c — core handlers not implemented yet: ENOSYS (temporary). */
#include "wasi.h"

