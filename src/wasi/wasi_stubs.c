/* wasi_stubs.c — core handlers not implemented yet: ENOSYS (temporary). */
#include "wasi.h"

uint16_t wasih_poll_oneoff(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_accept(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_recv(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_send(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_shutdown(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
