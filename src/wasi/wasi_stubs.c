/* wasi_stubs.c — core handlers not implemented yet: ENOSYS (temporary). */
#include "wasi.h"

uint16_t wasih_args_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_args_sizes_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_environ_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_environ_sizes_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_clock_res_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_clock_time_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_advise(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_allocate(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_close(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_datasync(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_fdstat_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_fdstat_set_flags(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_fdstat_set_rights(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_filestat_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_filestat_set_size(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_filestat_set_times(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_pread(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_prestat_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_prestat_dir_name(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_pwrite(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_read(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_renumber(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_seek(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_sync(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_tell(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_fd_write(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_poll_oneoff(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_proc_exit(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_proc_raise(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_random_get(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sched_yield(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_accept(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_recv(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_send(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
uint16_t wasih_sock_shutdown(wasi_call *c, const weft_slot *a) { (void)c; (void)a; return WASI_ENOSYS; }
