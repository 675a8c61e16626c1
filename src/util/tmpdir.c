/* tmpdir.c — the temporary-file directory (tmpdir.h). */
#include "tmpdir.h"
#include <stdlib.h>

const char *wutil_tmpdir(void) {
  const char *t = getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}
