/* global.h — global cells, shared by reference between exporter and importers. */
#ifndef WEFT_GLOBAL_H
#define WEFT_GLOBAL_H
#include "rt.h"

/* A new global cell with one reference; NULL on allocation failure. */
wglobal *wglobal_new(uint8_t type, bool mut, wslot init);
void wglobal_ref(wglobal *g);
void wglobal_unref(wglobal *g);

#endif
