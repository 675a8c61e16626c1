/* readfile.h — reading a whole file into memory (the weft and weftc commands, weftc's
 * pipeline). */
#ifndef WEFT_READFILE_H
#define WEFT_READFILE_H
#include <stddef.h>
#include <stdint.h>

/* Reads all of path into a malloc'd buffer (*len bytes; the caller frees it); NULL with
 * errno set on failure (ENOMEM when it does not fit in memory). */
uint8_t *wutil_read_file(const char *path, size_t *len);

#endif
