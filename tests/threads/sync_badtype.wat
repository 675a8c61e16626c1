;; sync_badtype.wat — imports env.pthread_cond_timedwait with a type neither registered form
;; has (an f64 timeout): linking must still fail with "incompatible import type"
;; (test_sync.c), though the name is registered under two types.
(module
  (import "env" "pthread_cond_timedwait" (func (param i32 i32 f64) (result i32))))
