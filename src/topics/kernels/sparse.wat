;; CSR × dense row kernels with 128-bit SIMD (two doubles per lane), for the sweeps of
;; src/topics/nmf-sweep.ts. Same arithmetic, in the same order, as gatherRow / scatterRow of
;; src/topics/csr.ts (multiplies and adds, never fused), so results are bit-identical to them.
;; Built into sparse-wasm.ts by scripts/build-kernels.ts. Pointers are byte offsets into the
;; shared memory; `k` is the dense row width in doubles.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; out[0 .. k) = Σ_p data[p] · dense[indices[p]·k .. +k) over the stored entries of row i.
  (func $gatherRow (export "gatherRow")
    (param $indptr i32) (param $indices i32) (param $data i32) (param $i i32)
    (param $dense i32) (param $k i32) (param $out i32)
    (local $p i32) (local $end i32) (local $c i32) (local $bytes i32) (local $pairs i32)
    (local $from i32) (local $value f64) (local $splat v128)
    (local.set $bytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $bytes) (i32.const -16)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $bytes))
    (local.set $p (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $end (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (block $entriesDone
      (loop $entries
        (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $value (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3)))))
        (local.set $splat (f64x2.splat (local.get $value)))
        (local.set $from
          (i32.add (local.get $dense)
            (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                     (local.get $bytes))))
        (local.set $c (i32.const 0))
        (block $pairsDone
          (loop $columns
            (br_if $pairsDone (i32.ge_u (local.get $c) (local.get $pairs)))
            (v128.store (i32.add (local.get $out) (local.get $c))
              (f64x2.add (v128.load (i32.add (local.get $out) (local.get $c)))
                         (f64x2.mul (local.get $splat) (v128.load (i32.add (local.get $from) (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $columns)))
        (if (i32.ne (local.get $pairs) (local.get $bytes))
          (then
            (f64.store (i32.add (local.get $out) (local.get $pairs))
              (f64.add (f64.load (i32.add (local.get $out) (local.get $pairs)))
                       (f64.mul (local.get $value) (f64.load (i32.add (local.get $from) (local.get $pairs))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $entries))))

  ;; out[indices[p]·k .. +k) += data[p] · source[0 .. k) over the stored entries of row i.
  (func $scatterRow (export "scatterRow")
    (param $indptr i32) (param $indices i32) (param $data i32) (param $i i32)
    (param $source i32) (param $k i32) (param $out i32)
    (local $p i32) (local $end i32) (local $c i32) (local $bytes i32) (local $pairs i32)
    (local $to i32) (local $value f64) (local $splat v128)
    (local.set $bytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $p (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $end (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (block $entriesDone
      (loop $entries
        (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $value (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3)))))
        (local.set $splat (f64x2.splat (local.get $value)))
        (local.set $to
          (i32.add (local.get $out)
            (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                     (local.get $bytes))))
        (local.set $c (i32.const 0))
        (block $pairsDone
          (loop $columns
            (br_if $pairsDone (i32.ge_u (local.get $c) (local.get $pairs)))
            (v128.store (i32.add (local.get $to) (local.get $c))
              (f64x2.add (v128.load (i32.add (local.get $to) (local.get $c)))
                         (f64x2.mul (local.get $splat) (v128.load (i32.add (local.get $source) (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $columns)))
        (if (i32.ne (local.get $pairs) (local.get $bytes))
          (then
            (f64.store (i32.add (local.get $to) (local.get $pairs))
              (f64.add (f64.load (i32.add (local.get $to) (local.get $pairs)))
                       (f64.mul (local.get $value) (f64.load (i32.add (local.get $source) (local.get $pairs))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $entries))))

  ;; Rows [r0, r1) of X·dense into out (rows × k).
  (func (export "gatherRows")
    (param $indptr i32) (param $indices i32) (param $data i32) (param $r0 i32) (param $r1 i32)
    (param $dense i32) (param $k i32) (param $out i32)
    (local $i i32)
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $r1)))
        (call $gatherRow (local.get $indptr) (local.get $indices) (local.get $data) (local.get $i)
          (local.get $dense) (local.get $k)
          (i32.add (local.get $out) (i32.mul (local.get $i) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out (cols × k) += (rows [r0, r1) of X)ᵀ · source (rows × k).
  (func (export "scatterRows")
    (param $indptr i32) (param $indices i32) (param $data i32) (param $r0 i32) (param $r1 i32)
    (param $source i32) (param $k i32) (param $out i32)
    (local $i i32)
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $r1)))
        (call $scatterRow (local.get $indptr) (local.get $indices) (local.get $data) (local.get $i)
          (i32.add (local.get $source) (i32.mul (local.get $i) (i32.shl (local.get $k) (i32.const 3))))
          (local.get $k) (local.get $out))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))))
