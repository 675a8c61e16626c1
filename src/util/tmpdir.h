/* tmpdir.h — where weft puts temporary files (weftc's work directory, the AOT loader's
 * fallback file, weft-spec's scratch and cache directories). */
#ifndef WEFT_TMPDIR_H
#define WEFT_TMPDIR_H

/* $TMPDIR when set and non-empty, else "/tmp". */
const char *wutil_tmpdir(void);

#endif
