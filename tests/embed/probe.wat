;; probe.wat — imports "b"."x1": instantiates only if a native of that name was registered.
(module (import "b" "x1" (func)))
