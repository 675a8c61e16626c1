/* modinfo.c — module facts for the `weft` command's messages and heap sizing, read from the
 * decoded module (src/module/module.h) because the public API does not expose imports. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "module/module.h"

#define PAGE 65536u

/* Appends formatted text to buf at *len, never past size. */
static void append(char *buf, size_t size, size_t *len, const char *s) {
  size_t n = strlen(s);
  if (*len + 1 >= size) return;
  if (n > size - 1 - *len) n = size - 1 - *len;
  memcpy(buf + *len, s, n);
  *len += n;
  buf[*len] = 0;
}

/* Appends a limits description "MIN[ MAX][ shared]". */
static void append_limits(char *buf, size_t size, size_t *len, const wlimits *l) {
  char tmp[64];
  if (l->has_max) snprintf(tmp, sizeof tmp, " %llu %llu", (unsigned long long)l->min, (unsigned long long)l->max);
  else snprintf(tmp, sizeof tmp, " %llu", (unsigned long long)l->min);
  append(buf, size, len, tmp);
  if (l->shared) append(buf, size, len, " shared");
}

void cli_import_type(const weft_module *m, const char *module, const char *name, char *buf,
                     size_t size) {
  size_t len = 0;
  if (size) buf[0] = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wimport *im = &m->imports[i];
    if (strcmp(im->module, module) != 0 || strcmp(im->name, name) != 0) continue;
    switch (im->kind) {
    case WEXT_FUNC: {
      const wfunctype *ft = &m->types[im->u.func_type];
      append(buf, size, &len, "func");
      if (ft->nparams) {
        append(buf, size, &len, " (param");
        for (uint32_t k = 0; k < ft->nparams; k++) {
          append(buf, size, &len, " ");
          append(buf, size, &len, wvaltype_name(WFT_PARAM(ft, k)));
        }
        append(buf, size, &len, ")");
      }
      if (ft->nresults) {
        append(buf, size, &len, " (result");
        for (uint32_t k = 0; k < ft->nresults; k++) {
          append(buf, size, &len, " ");
          append(buf, size, &len, wvaltype_name(WFT_RESULT(ft, k)));
        }
        append(buf, size, &len, ")");
      }
      break;
    }
    case WEXT_TABLE:
      append(buf, size, &len, "table");
      append_limits(buf, size, &len, &im->u.table.lim);
      append(buf, size, &len, " ");
      append(buf, size, &len, wvaltype_name(im->u.table.elem));
      break;
    case WEXT_MEMORY:
      append(buf, size, &len, "memory");
      append_limits(buf, size, &len, &im->u.mem.lim);
      break;
    case WEXT_GLOBAL:
      append(buf, size, &len, "global ");
      if (im->u.global.mut) append(buf, size, &len, "(mut ");
      append(buf, size, &len, wvaltype_name(im->u.global.type));
      if (im->u.global.mut) append(buf, size, &len, ")");
      break;
    }
    return;
  }
}

bool cli_imports_wasi(const weft_module *m) {
  for (uint32_t i = 0; i < m->nimports; i++)
    if (strncmp(m->imports[i].module, "wasi_", 5) == 0) return true;
  return false;
}

bool cli_exports_func(const weft_module *m, const char *name) {
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WEXT_FUNC && strcmp(m->exports[i].name, name) == 0) return true;
  return false;
}

uint32_t cli_heap_fit(const weft_module *m, uint32_t want) {
  if (m->nmems == 0) return 0;
  /* A defined memory 0 gets its maximum raised by the heap (appheap.c, as WAMR does), so
   * only an imported one limits the heap. */
  if (m->nimported_mems == 0) return want;
  const wlimits *l = &m->mems[0].lim;
  if (!l->has_max) return want;
  uint64_t room = l->max > l->min ? (l->max - l->min) * PAGE : 0;
  return room >= want ? want : (uint32_t)room;
}
