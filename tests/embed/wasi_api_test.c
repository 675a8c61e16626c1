/* wasi_api_test.c — WAMR's WASI entry points (wasm_export.h, src/compat/wasm_wasi.c):
 * wasm_runtime_set_wasi_args (dir_list, map_dir_list "GUEST::HOST", env, argv) applied at
 * instantiation, wasm_runtime_is_wasi_mode, wasm_runtime_lookup_wasi_start_function,
 * _start run with wasm_runtime_call_wasm, wasm_runtime_get_wasi_exit_code, and a preopen
 * that does not exist failing instantiation with a message. wasi_api.wasm records what it
 * sees in its memory (layout in wasi_api.wat) and creates out.txt in the mapped directory. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "wasm_export.h"
#include "check.h"
#include "load.h"

static wasm_module_t load_module(const char *name, uint8_t **bytes) {
  char path[512], ebuf[256] = "";
  size_t len = 0;
  snprintf(path, sizeof path, "%s/%s", WASM_DIR, name);
  *bytes = load_file(path, &len);
  if (!*bytes) return NULL;
  wasm_module_t m = wasm_runtime_load(*bytes, (uint32_t)len, ebuf, sizeof ebuf);
  if (!m) fprintf(stderr, "load %s: %s\n", name, ebuf);
  return m;
}

static uint32_t rd32(wasm_module_inst_t inst, uint64_t off) {
  uint32_t v = 0xdeadbeef;
  if (wasm_runtime_validate_app_addr(inst, off, 4))
    memcpy(&v, wasm_runtime_addr_app_to_native(inst, off), 4);
  return v;
}

static const char *rdstr(wasm_module_inst_t inst, uint64_t off, uint32_t len, char *buf,
                         size_t cap) {
  buf[0] = 0;
  if (len < cap && wasm_runtime_validate_app_addr(inst, off, len)) {
    memcpy(buf, wasm_runtime_addr_app_to_native(inst, off), len);
    buf[len] = 0;
  }
  return buf;
}

/* The string argv[i] / env[i] from a pointer table at `table` in the instance's memory. */
static const char *rdvec(wasm_module_inst_t inst, uint64_t table, uint32_t i, char *buf,
                         size_t cap) {
  uint32_t p = rd32(inst, table + 4 * i);
  buf[0] = 0;
  if (p && wasm_runtime_validate_app_addr(inst, p, 1)) {
    const char *s = wasm_runtime_addr_app_to_native(inst, p);
    snprintf(buf, cap, "%.*s", (int)strnlen(s, cap - 1), s);
  }
  return buf;
}

int main(void) {
  char ebuf[256] = "", buf[1024], tmpl[512], host_dir[600], map_entry[700], guest_seen[64];
  const char *tmp = getenv("TMPDIR");
  snprintf(tmpl, sizeof tmpl, "%s/weft-wasi-api-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!CHECK(mkdtemp(tmpl) != NULL, "mkdtemp %s", tmpl)) return check_summary();
  /* dir_list: the scratch dir itself (guest name = host path); map: GUEST::scratch/mapped */
  snprintf(host_dir, sizeof host_dir, "%s/mapped", tmpl);
  CHECK(mkdir(host_dir, 0700) == 0, "mkdir %s", host_dir);
  snprintf(map_entry, sizeof map_entry, "GUEST::%s", host_dir);

  CHECK(wasm_runtime_init(), "wasm_runtime_init");
  uint8_t *b_api = NULL, *b_nostart = NULL, *b_none = NULL;
  wasm_module_t m_api = load_module("wasi_api.wasm", &b_api);
  wasm_module_t m_nostart = load_module("wasi_nostart.wasm", &b_nostart);
  wasm_module_t m_none = load_module("wasi_none.wasm", &b_none);
  if (!CHECK(m_api && m_nostart && m_none, "load the three modules")) return check_summary();

  const char *dirs[] = {tmpl};
  const char *maps[] = {map_entry};
  const char *env[] = {"K=V"};
  char *argv[] = {"prog", "arg1", "arg two"};
  wasm_runtime_set_wasi_args(m_api, dirs, 1, maps, 1, env, 1, argv, 3);

  wasm_module_inst_t inst = wasm_runtime_instantiate(m_api, 65536, 0, ebuf, sizeof ebuf);
  if (!CHECK(inst != NULL, "instantiate wasi_api.wasm (%s)", ebuf)) return check_summary();
  CHECK(wasm_runtime_is_wasi_mode(inst), "wasm_runtime_is_wasi_mode: true for a WASI module");
  wasm_function_inst_t start = wasm_runtime_lookup_wasi_start_function(inst);
  CHECK(start != NULL, "wasm_runtime_lookup_wasi_start_function: _start found");
  wasm_exec_env_t ee = wasm_runtime_create_exec_env(inst, 65536);
  CHECK(ee != NULL, "create exec env");
  if (start && ee) {
    bool ok = wasm_runtime_call_wasm(ee, start, 0, NULL);
    const char *exc = wasm_runtime_get_exception(inst);
    printf("     call _start: %s, exception %s\n", ok ? "true" : "false", exc ? exc : "(none)");
  }
  uint32_t code = wasm_runtime_get_wasi_exit_code(inst);
  CHECK(code == 7, "wasm_runtime_get_wasi_exit_code: %u (want 7)", code);

  uint32_t v;
  v = rd32(inst, 1024);
  CHECK(v == 3, "argc %u (want 3)", v);
  v = rd32(inst, 1028);
  CHECK(v == 18, "argv buffer size %u (want 18)", v);
  v = rd32(inst, 1032);
  CHECK(v == 1, "env count %u (want 1)", v);
  v = rd32(inst, 1036);
  CHECK(v == 4, "env buffer size %u (want 4)", v);
  v = rd32(inst, 1040);
  CHECK(v == 0, "args_get errno %u", v);
  CHECK(strcmp(rdvec(inst, 3072, 0, buf, sizeof buf), "prog") == 0, "argv[0] '%s'", buf);
  CHECK(strcmp(rdvec(inst, 3072, 1, buf, sizeof buf), "arg1") == 0, "argv[1] '%s'", buf);
  CHECK(strcmp(rdvec(inst, 3072, 2, buf, sizeof buf), "arg two") == 0, "argv[2] '%s'", buf);
  v = rd32(inst, 1044);
  CHECK(v == 0, "environ_get errno %u", v);
  CHECK(strcmp(rdvec(inst, 3584, 0, buf, sizeof buf), "K=V") == 0, "env[0] '%s'", buf);
  /* fd 3: the dir_list entry, named by its host path */
  v = rd32(inst, 1048);
  CHECK(v == 0, "fd_prestat_get(3) errno %u", v);
  v = rd32(inst, 1052) & 0xff;
  CHECK(v == 0, "fd 3 prestat tag %u (want 0, dir)", v);
  uint32_t n3 = rd32(inst, 1056);
  CHECK(n3 == strlen(tmpl), "fd 3 name length %u (want %zu)", n3, strlen(tmpl));
  v = rd32(inst, 1076);
  CHECK(v == 0, "fd_prestat_dir_name(3) errno %u", v);
  CHECK(strcmp(rdstr(inst, 2048, n3, buf, sizeof buf), tmpl) == 0, "fd 3 name '%s'", buf);
  /* fd 4: the map_dir_list entry, named GUEST */
  v = rd32(inst, 1060);
  CHECK(v == 0, "fd_prestat_get(4) errno %u", v);
  v = rd32(inst, 1064) & 0xff;
  CHECK(v == 0, "fd 4 prestat tag %u (want 0, dir)", v);
  uint32_t n4 = rd32(inst, 1068);
  CHECK(n4 == 5, "fd 4 name length %u (want 5)", n4);
  v = rd32(inst, 1080);
  CHECK(v == 0, "fd_prestat_dir_name(4) errno %u", v);
  CHECK(strcmp(rdstr(inst, 2304, n4, guest_seen, sizeof guest_seen), "GUEST") == 0,
        "fd 4 name '%s' (want GUEST)", guest_seen);
  v = rd32(inst, 1072);
  CHECK(v == 8, "fd_prestat_get(5) errno %u (want 8, EBADF)", v);
  v = rd32(inst, 1084);
  CHECK(v == 0, "path_open(4, out.txt, CREAT|TRUNC) errno %u", v);
  v = rd32(inst, 1088);
  CHECK(v > 4, "path_open's fd %u (want > 4)", v);
  v = rd32(inst, 1092);
  CHECK(v == 0, "fd_write errno %u", v);
  v = rd32(inst, 1096);
  CHECK(v == 11, "fd_write wrote %u bytes (want 11)", v);

  /* the file exists on the host, under the mapped directory, with the bytes written */
  snprintf(buf, sizeof buf, "%s/out.txt", host_dir);
  size_t flen = 0;
  uint8_t *content = load_file(buf, &flen);
  CHECK(content && flen == 11 && memcmp(content, "hello wasi\n", 11) == 0,
        "%s holds \"hello wasi\\n\" (%zu bytes)", buf, flen);
  free(content);
  snprintf(buf, sizeof buf, "%s/out.txt", tmpl);
  CHECK(access(buf, F_OK) != 0, "out.txt was not created in the dir_list directory");

  if (ee) wasm_runtime_destroy_exec_env(ee);
  wasm_runtime_deinstantiate(inst);

  /* WASI without _start; a module that imports nothing is not in WASI mode */
  wasm_module_inst_t i2 = wasm_runtime_instantiate(m_nostart, 65536, 0, ebuf, sizeof ebuf);
  CHECK(i2 != NULL, "instantiate wasi_nostart.wasm without wasi args (%s)", ebuf);
  if (i2) {
    CHECK(wasm_runtime_is_wasi_mode(i2), "wasi_nostart: WASI mode");
    CHECK(wasm_runtime_lookup_wasi_start_function(i2) == NULL,
          "wasi_nostart: lookup_wasi_start_function NULL without _start");
    wasm_runtime_deinstantiate(i2);
  }
  wasm_module_inst_t i3 = wasm_runtime_instantiate(m_none, 65536, 0, ebuf, sizeof ebuf);
  CHECK(i3 != NULL, "instantiate wasi_none.wasm (%s)", ebuf);
  if (i3) {
    CHECK(!wasm_runtime_is_wasi_mode(i3), "wasi_none: not WASI mode");
    CHECK(wasm_runtime_lookup_wasi_start_function(i3) == NULL,
          "wasi_none: lookup_wasi_start_function NULL (has _start, but no WASI imports)");
    wasm_runtime_deinstantiate(i3);
  }

  /* a preopen that does not exist: instantiation fails with a message naming it */
  char missing[700];
  snprintf(missing, sizeof missing, "%s/does-not-exist", tmpl);
  const char *bad_dirs[] = {missing};
  wasm_runtime_set_wasi_args(m_api, bad_dirs, 1, NULL, 0, NULL, 0, NULL, 0);
  ebuf[0] = 0;
  wasm_module_inst_t i4 = wasm_runtime_instantiate(m_api, 65536, 0, ebuf, sizeof ebuf);
  CHECK(i4 == NULL, "instantiate with a missing dir_list preopen fails");
  CHECK(ebuf[0] && strstr(ebuf, "does-not-exist"), "its message names the directory: '%s'", ebuf);
  if (i4) wasm_runtime_deinstantiate(i4);
  const char *bad_maps[] = {"G::/nonexistent/weft-wasi-api"};
  wasm_runtime_set_wasi_args(m_api, NULL, 0, bad_maps, 1, NULL, 0, NULL, 0);
  ebuf[0] = 0;
  i4 = wasm_runtime_instantiate(m_api, 65536, 0, ebuf, sizeof ebuf);
  CHECK(i4 == NULL, "instantiate with a missing map_dir_list host fails");
  CHECK(ebuf[0] && strstr(ebuf, "/nonexistent/weft-wasi-api"), "its message: '%s'", ebuf);
  if (i4) wasm_runtime_deinstantiate(i4);

  wasm_runtime_unload(m_api);
  wasm_runtime_unload(m_nostart);
  wasm_runtime_unload(m_none);
  free(b_api);
  free(b_nostart);
  free(b_none);
  wasm_runtime_destroy();

  snprintf(buf, sizeof buf, "%s/out.txt", host_dir);
  unlink(buf);
  rmdir(host_dir);
  rmdir(tmpl);
  return check_summary();
}
