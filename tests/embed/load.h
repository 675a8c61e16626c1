/* load.h — reads a test module from disk. */
#ifndef WEFT_EMBED_LOAD_H
#define WEFT_EMBED_LOAD_H
#include <stddef.h>
#include <stdint.h>

/* The whole file in a malloc'd buffer (*len its size), or NULL with a message on stderr. */
uint8_t *load_file(const char *path, size_t *len);

#endif
