;; 128-bit SIMD versions of the tall-skinny loops of src/linalg/dense.ts (the randomized-SVD start of
;; NMF): every result entry gets the same multiplies and adds (never fused) in the same order as
;; the JavaScript, so results are bit-identical; the SIMD lanes run over independent entries of a
;; row. Built into dense-wasm.ts by scripts/build-kernels.ts. Pointers are byte offsets into the
;; imported memory (src/linalg/kernels/dense.ts copies the operands in and out).
(module
  (import "env" "memory" (memory 1))

  ;; dst[0 .. n) += value · src[0 .. n), n = bytes / 8, two lanes at a time.
  (func $addScaled (param $dst i32) (param $src i32) (param $bytes i32) (param $value f64)
    (local $c i32) (local $pairs i32) (local $splat v128)
    (local.set $pairs (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $splat (f64x2.splat (local.get $value)))
    (block $done
      (loop $columns
        (br_if $done (i32.ge_u (local.get $c) (local.get $pairs)))
        (v128.store (i32.add (local.get $dst) (local.get $c))
          (f64x2.add (v128.load (i32.add (local.get $dst) (local.get $c)))
                     (f64x2.mul (local.get $splat) (v128.load (i32.add (local.get $src) (local.get $c))))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $columns)))
    (if (i32.ne (local.get $pairs) (local.get $bytes))
      (then
        (f64.store (i32.add (local.get $dst) (local.get $pairs))
          (f64.add (f64.load (i32.add (local.get $dst) (local.get $pairs)))
                   (f64.mul (local.get $value) (f64.load (i32.add (local.get $src) (local.get $pairs)))))))))

  ;; dst[0 .. n) -= value · src[0 .. n).
  (func $subtractScaled (param $dst i32) (param $src i32) (param $bytes i32) (param $value f64)
    (local $c i32) (local $pairs i32) (local $splat v128)
    (local.set $pairs (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $splat (f64x2.splat (local.get $value)))
    (block $done
      (loop $columns
        (br_if $done (i32.ge_u (local.get $c) (local.get $pairs)))
        (v128.store (i32.add (local.get $dst) (local.get $c))
          (f64x2.sub (v128.load (i32.add (local.get $dst) (local.get $c)))
                     (f64x2.mul (local.get $splat) (v128.load (i32.add (local.get $src) (local.get $c))))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $columns)))
    (if (i32.ne (local.get $pairs) (local.get $bytes))
      (then
        (f64.store (i32.add (local.get $dst) (local.get $pairs))
          (f64.sub (f64.load (i32.add (local.get $dst) (local.get $pairs)))
                   (f64.mul (local.get $value) (f64.load (i32.add (local.get $src) (local.get $pairs)))))))))

  ;; out (rows × cols, zeroed here) = a (rows × l) · b (l × cols), skipping zero entries of a.
  (func (export "multiply") (param $a i32) (param $rows i32) (param $l i32) (param $b i32) (param $cols i32)
    (param $out i32)
    (local $i i32) (local $p i32) (local $rowBytes i32) (local $to i32) (local $value f64)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $rows) (local.get $rowBytes)))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $to (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $p (i32.const 0))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_s (local.get $p) (local.get $l)))
            (local.set $value
              (f64.load (i32.add (local.get $a)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $l)) (local.get $p)) (i32.const 3)))))
            (if (f64.ne (local.get $value) (f64.const 0))
              (then
                (call $addScaled (local.get $to)
                  (i32.add (local.get $b) (i32.mul (local.get $p) (local.get $rowBytes)))
                  (local.get $rowBytes) (local.get $value))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $terms)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowsLoop))))

  ;; out[r, r..l) += a[i, r] · b[i, r..l) over rows i in order, skipping zero a[i, r] (l × l, upper).
  (func (export "upperCrossProduct") (param $a i32) (param $b i32) (param $rows i32) (param $l i32)
    (param $out i32)
    (local $i i32) (local $r i32) (local $rowBytes i32) (local $row i32) (local $value f64)
    (local.set $rowBytes (i32.shl (local.get $l) (i32.const 3)))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $row (i32.mul (local.get $i) (local.get $rowBytes)))
        (local.set $r (i32.const 0))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_s (local.get $r) (local.get $l)))
            (local.set $value
              (f64.load (i32.add (i32.add (local.get $a) (local.get $row)) (i32.shl (local.get $r) (i32.const 3)))))
            (if (f64.ne (local.get $value) (f64.const 0))
              (then
                (call $addScaled
                  (i32.add (local.get $out)
                    (i32.shl (i32.add (i32.mul (local.get $r) (local.get $l)) (local.get $r)) (i32.const 3)))
                  (i32.add (i32.add (local.get $b) (local.get $row)) (i32.shl (local.get $r) (i32.const 3)))
                  (i32.shl (i32.sub (local.get $l) (local.get $r)) (i32.const 3))
                  (local.get $value))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $terms)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowsLoop))))

  ;; a ← a · r⁻¹ in place (a rows × l, r upper-triangular l × l), row by row: once x_p = a_p / r_pp is
  ;; final, a_j −= x_p · r_pj for every j > p. Each a_j gets the subtractions in p order and then its
  ;; division, exactly as the JavaScript's forward substitution, but the j's run side by side.
  (func (export "solveUpperRight") (param $a i32) (param $rows i32) (param $l i32) (param $r i32)
    (local $i i32) (local $p i32) (local $rowBytes i32) (local $row i32) (local $at i32) (local $x f64)
    (local.set $rowBytes (i32.shl (local.get $l) (i32.const 3)))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $p (i32.const 0))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_s (local.get $p) (local.get $l)))
            (local.set $at (i32.add (local.get $row) (i32.shl (local.get $p) (i32.const 3))))
            (local.set $x
              (f64.div (f64.load (local.get $at))
                (f64.load (i32.add (local.get $r)
                  (i32.shl (i32.add (i32.mul (local.get $p) (local.get $l)) (local.get $p)) (i32.const 3))))))
            (f64.store (local.get $at) (local.get $x))
            (call $subtractScaled
              (i32.add (local.get $at) (i32.const 8))
              (i32.add (local.get $r)
                (i32.shl (i32.add (i32.add (i32.mul (local.get $p) (local.get $l)) (local.get $p)) (i32.const 1))
                  (i32.const 3)))
              (i32.shl (i32.sub (i32.sub (local.get $l) (local.get $p)) (i32.const 1)) (i32.const 3))
              (local.get $x))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $terms)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowsLoop))))

  ;; applyReflector of src/linalg/dense.ts: target[c.., from..) −= β·v·(vᵀ·target[c.., from..)) with
  ;; v = (v0, reflector[c+1.., col]); w (l doubles) is scratch.
  (func (export "applyReflector") (param $target i32) (param $rows i32) (param $l i32) (param $c i32)
    (param $from i32) (param $v0 f64) (param $beta f64) (param $reflector i32) (param $reflectorWidth i32)
    (param $col i32) (param $w i32)
    (local $i i32) (local $j i32) (local $vi f64) (local $rowBytes i32) (local $span i32) (local $wFrom i32)
    (local.set $rowBytes (i32.shl (local.get $l) (i32.const 3)))
    (local.set $span (i32.shl (i32.sub (local.get $l) (local.get $from)) (i32.const 3)))
    (local.set $wFrom (i32.add (local.get $w) (i32.shl (local.get $from) (i32.const 3))))
    (memory.fill (local.get $w) (i32.const 0) (local.get $rowBytes))
    (local.set $i (local.get $c))
    (block $passDone
      (loop $pass
        (br_if $passDone (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $vi
          (select (local.get $v0)
            (f64.load (i32.add (local.get $reflector)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $reflectorWidth)) (local.get $col)) (i32.const 3))))
            (i32.eq (local.get $i) (local.get $c))))
        (if (f64.ne (local.get $vi) (f64.const 0))
          (then
            (call $addScaled (local.get $wFrom)
              (i32.add (i32.add (local.get $target) (i32.mul (local.get $i) (local.get $rowBytes)))
                (i32.shl (local.get $from) (i32.const 3)))
              (local.get $span) (local.get $vi))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pass)))
    (local.set $j (local.get $from))
    (block $scaleDone
      (loop $scale
        (br_if $scaleDone (i32.ge_s (local.get $j) (local.get $l)))
        (f64.store (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3)))
          (f64.mul (f64.load (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3)))) (local.get $beta)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $scale)))
    (local.set $i (local.get $c))
    (block $updateDone
      (loop $update
        (br_if $updateDone (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $vi
          (select (local.get $v0)
            (f64.load (i32.add (local.get $reflector)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $reflectorWidth)) (local.get $col)) (i32.const 3))))
            (i32.eq (local.get $i) (local.get $c))))
        (if (f64.ne (local.get $vi) (f64.const 0))
          (then
            (call $subtractScaled
              (i32.add (i32.add (local.get $target) (i32.mul (local.get $i) (local.get $rowBytes)))
                (i32.shl (local.get $from) (i32.const 3)))
              (local.get $wFrom) (local.get $span) (local.get $vi))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $update)))))
