;; CSR × dense row kernels with 128-bit SIMD (two doubles per lane), for the sweeps of
;; src/topics/nmf-sweep.ts. Same arithmetic, in the same order, as gatherRow / scatterRow of
;; src/topics/csr.ts (multiplies and adds, never fused), so results are bit-identical to them.
;; Built into sparse-wasm.ts by scripts/build-kernels.ts. Pointers are byte offsets into the
;; shared memory; `k` is the dense row width in doubles.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; out[0 .. k) = Σ_p data[p] · dense[indices[p]·k .. +k) over the stored entries of row i. The
  ;; columns go in blocks of 8, 4, 2 and 1 doubles, each block's sums held in registers over the
  ;; row's entries (no load and store of out per entry); each sum still starts at 0 and adds the
  ;; entries in order, as gatherRow does.
  (func $gatherRow
    (param $indptr i32) (param $indices i32) (param $data i32) (param $i i32)
    (param $dense i32) (param $k i32) (param $out i32)
    (local $start i32) (local $end i32) (local $p i32) (local $c i32) (local $bytes i32)
    (local $from i32) (local $value f64) (local $splat v128) (local $sum f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $bytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $start (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $end (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $c (i32.const 0))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $bytes)))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $splat (f64x2.splat (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3))))))
            (local.set $from
              (i32.add (i32.add (local.get $dense) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $splat) (v128.load (local.get $from)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $splat) (v128.load offset=16 (local.get $from)))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $splat) (v128.load offset=32 (local.get $from)))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $splat) (v128.load offset=48 (local.get $from)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries)))
        (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $out) (local.get $c)) (local.get $a1))
        (v128.store offset=32 (i32.add (local.get $out) (local.get $c)) (local.get $a2))
        (v128.store offset=48 (i32.add (local.get $out) (local.get $c)) (local.get $a3))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $blocks)))
    (if (i32.le_u (i32.add (local.get $c) (i32.const 32)) (local.get $bytes))
      (then
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $splat (f64x2.splat (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3))))))
            (local.set $from
              (i32.add (i32.add (local.get $dense) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $splat) (v128.load (local.get $from)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $splat) (v128.load offset=16 (local.get $from)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries)))
        (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $out) (local.get $c)) (local.get $a1))
        (local.set $c (i32.add (local.get $c) (i32.const 32)))))
    (if (i32.le_u (i32.add (local.get $c) (i32.const 16)) (local.get $bytes))
      (then
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $splat (f64x2.splat (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3))))))
            (local.set $from
              (i32.add (i32.add (local.get $dense) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $splat) (v128.load (local.get $from)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries)))
        (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $a0))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))))
    (if (i32.lt_u (local.get $c) (local.get $bytes))
      (then
        (local.set $sum (f64.const 0))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $value (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3)))))
            (local.set $from
              (i32.add (i32.add (local.get $dense) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $value) (f64.load (local.get $from)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries)))
        (f64.store (i32.add (local.get $out) (local.get $c)) (local.get $sum)))))

  ;; out[indices[p]·k .. +k) += data[p] · source[0 .. k) over the stored entries of row i. The
  ;; source row is held in registers in blocks of 8, 4, 2 and 1 doubles, read once per block
  ;; instead of once per entry; the same products added in the same order as scatterRow.
  (func $scatterRow
    (param $indptr i32) (param $indices i32) (param $data i32) (param $i i32)
    (param $source i32) (param $k i32) (param $out i32)
    (local $start i32) (local $end i32) (local $p i32) (local $c i32) (local $bytes i32)
    (local $to i32) (local $splat v128) (local $value f64)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $single f64)
    (local.set $bytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $start (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $end (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $c (i32.const 0))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $bytes)))
        (local.set $s0 (v128.load (i32.add (local.get $source) (local.get $c))))
        (local.set $s1 (v128.load offset=16 (i32.add (local.get $source) (local.get $c))))
        (local.set $s2 (v128.load offset=32 (i32.add (local.get $source) (local.get $c))))
        (local.set $s3 (v128.load offset=48 (i32.add (local.get $source) (local.get $c))))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $splat (f64x2.splat (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3))))))
            (local.set $to
              (i32.add (i32.add (local.get $out) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (v128.store (local.get $to)
              (f64x2.add (v128.load (local.get $to)) (f64x2.mul (local.get $splat) (local.get $s0))))
            (v128.store offset=16 (local.get $to)
              (f64x2.add (v128.load offset=16 (local.get $to)) (f64x2.mul (local.get $splat) (local.get $s1))))
            (v128.store offset=32 (local.get $to)
              (f64x2.add (v128.load offset=32 (local.get $to)) (f64x2.mul (local.get $splat) (local.get $s2))))
            (v128.store offset=48 (local.get $to)
              (f64x2.add (v128.load offset=48 (local.get $to)) (f64x2.mul (local.get $splat) (local.get $s3))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries)))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $blocks)))
    (if (i32.le_u (i32.add (local.get $c) (i32.const 32)) (local.get $bytes))
      (then
        (local.set $s0 (v128.load (i32.add (local.get $source) (local.get $c))))
        (local.set $s1 (v128.load offset=16 (i32.add (local.get $source) (local.get $c))))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $splat (f64x2.splat (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3))))))
            (local.set $to
              (i32.add (i32.add (local.get $out) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (v128.store (local.get $to)
              (f64x2.add (v128.load (local.get $to)) (f64x2.mul (local.get $splat) (local.get $s0))))
            (v128.store offset=16 (local.get $to)
              (f64x2.add (v128.load offset=16 (local.get $to)) (f64x2.mul (local.get $splat) (local.get $s1))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries)))
        (local.set $c (i32.add (local.get $c) (i32.const 32)))))
    (if (i32.le_u (i32.add (local.get $c) (i32.const 16)) (local.get $bytes))
      (then
        (local.set $s0 (v128.load (i32.add (local.get $source) (local.get $c))))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $splat (f64x2.splat (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3))))))
            (local.set $to
              (i32.add (i32.add (local.get $out) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (v128.store (local.get $to)
              (f64x2.add (v128.load (local.get $to)) (f64x2.mul (local.get $splat) (local.get $s0))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))))
    (if (i32.lt_u (local.get $c) (local.get $bytes))
      (then
        (local.set $single (f64.load (i32.add (local.get $source) (local.get $c))))
        (local.set $p (local.get $start))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $value (f64.load (i32.add (local.get $data) (i32.shl (local.get $p) (i32.const 3)))))
            (local.set $to
              (i32.add (i32.add (local.get $out) (local.get $c))
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2))))
                         (local.get $bytes))))
            (f64.store (local.get $to)
              (f64.add (f64.load (local.get $to)) (f64.mul (local.get $value) (local.get $single))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $entries))))))

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
        (br $rows))))

  ;; One coordinate-descent pass over the k entries of the factor row at $row, as updateRow of
  ;; src/topics/nmf-sweep.ts in the same order of operations: the gradient G·f − (product − l1)
  ;; (G symmetric, k×k), then each coordinate minimized exactly, clipped at 0, updating the rest of
  ;; the gradient. Returns the row's projected-gradient violation. $gradient is k doubles of scratch.
  (func $updateRow
    (param $row i32) (param $k i32) (param $g i32) (param $product i32) (param $l1 f64) (param $gradient i32)
    (result f64)
    (local $bytes i32) (local $pairs i32) (local $c i32) (local $r i32) (local $t i32) (local $gRow i32)
    (local $value f64) (local $splat v128) (local $violation f64) (local $grad f64) (local $current f64)
    (local $hess f64) (local $next f64) (local $step f64)
    (local.set $bytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $bytes) (i32.const -16)))
    ;; gradient = −(product − l1), then += f_r · G[r, ·] for r in order.
    (local.set $c (i32.const 0))
    (block $negDone
      (loop $neg
        (br_if $negDone (i32.ge_u (local.get $c) (local.get $bytes)))
        (f64.store (i32.add (local.get $gradient) (local.get $c))
          (f64.neg (f64.sub (f64.load (i32.add (local.get $product) (local.get $c))) (local.get $l1))))
        (local.set $c (i32.add (local.get $c) (i32.const 8)))
        (br $neg)))
    (local.set $r (i32.const 0))
    (block $formDone
      (loop $form
        (br_if $formDone (i32.ge_u (local.get $r) (local.get $bytes)))
        (local.set $value (f64.load (i32.add (local.get $row) (local.get $r))))
        (local.set $splat (f64x2.splat (local.get $value)))
        (local.set $gRow (i32.add (local.get $g) (i32.mul (local.get $r) (local.get $k))))
        (local.set $c (i32.const 0))
        (block $pairsDone
          (loop $columns
            (br_if $pairsDone (i32.ge_u (local.get $c) (local.get $pairs)))
            (v128.store (i32.add (local.get $gradient) (local.get $c))
              (f64x2.add (v128.load (i32.add (local.get $gradient) (local.get $c)))
                         (f64x2.mul (v128.load (i32.add (local.get $gRow) (local.get $c))) (local.get $splat))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $columns)))
        (if (i32.ne (local.get $pairs) (local.get $bytes))
          (then
            (f64.store (i32.add (local.get $gradient) (local.get $pairs))
              (f64.add (f64.load (i32.add (local.get $gradient) (local.get $pairs)))
                       (f64.mul (f64.load (i32.add (local.get $gRow) (local.get $pairs))) (local.get $value))))))
        (local.set $r (i32.add (local.get $r) (i32.const 8)))
        (br $form)))
    ;; Coordinate updates, in order.
    (local.set $t (i32.const 0))
    (block $updatesDone
      (loop $updates
        (br_if $updatesDone (i32.ge_u (local.get $t) (local.get $bytes)))
        (local.set $grad (f64.load (i32.add (local.get $gradient) (local.get $t))))
        (local.set $current (f64.load (i32.add (local.get $row) (local.get $t))))
        (local.set $violation
          (f64.add (local.get $violation)
            (f64.abs
              (select (f64.min (f64.const 0) (local.get $grad)) (local.get $grad)
                (f64.eq (local.get $current) (f64.const 0))))))
        (local.set $gRow (i32.add (local.get $g) (i32.mul (local.get $t) (local.get $k))))
        (local.set $hess (f64.load (i32.add (local.get $gRow) (local.get $t))))
        (if (f64.ne (local.get $hess) (f64.const 0))
          (then
            (local.set $next
              (f64.max (f64.sub (local.get $current) (f64.div (local.get $grad) (local.get $hess))) (f64.const 0)))
            (local.set $step (f64.sub (local.get $next) (local.get $current)))
            (if (f64.ne (local.get $step) (f64.const 0))
              (then
                (f64.store (i32.add (local.get $row) (local.get $t)) (local.get $next))
                (local.set $c (i32.add (local.get $t) (i32.const 8)))
                (block $restDone
                  (loop $rest
                    (br_if $restDone (i32.ge_u (local.get $c) (local.get $bytes)))
                    (f64.store (i32.add (local.get $gradient) (local.get $c))
                      (f64.add (f64.load (i32.add (local.get $gradient) (local.get $c)))
                               (f64.mul (f64.load (i32.add (local.get $gRow) (local.get $c))) (local.get $step))))
                    (local.set $c (i32.add (local.get $c) (i32.const 8)))
                    (br $rest)))))))
        (local.set $t (i32.add (local.get $t) (i32.const 8)))
        (br $updates)))
    (local.get $violation))

  ;; out[r, r..k) += f_r · f[r..k) for the factor row at $row, skipping zero f_r (upper triangle).
  (func $addGram (param $row i32) (param $k i32) (param $out i32)
    (local $bytes i32) (local $r i32) (local $c i32) (local $outRow i32) (local $value f64)
    (local.set $bytes (i32.shl (local.get $k) (i32.const 3)))
    (block $gramDone
      (loop $gram
        (br_if $gramDone (i32.ge_u (local.get $r) (local.get $bytes)))
        (local.set $value (f64.load (i32.add (local.get $row) (local.get $r))))
        (if (f64.ne (local.get $value) (f64.const 0))
          (then
            (local.set $outRow (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $k))))
            (local.set $c (local.get $r))
            (block $gramRowDone
              (loop $gramRow
                (br_if $gramRowDone (i32.ge_u (local.get $c) (local.get $bytes)))
                (f64.store (i32.add (local.get $outRow) (local.get $c))
                  (f64.add (f64.load (i32.add (local.get $outRow) (local.get $c)))
                           (f64.mul (local.get $value) (f64.load (i32.add (local.get $row) (local.get $c))))))
                (local.set $c (i32.add (local.get $c) (i32.const 8)))
                (br $gramRow)))))
        (local.set $r (i32.add (local.get $r) (i32.const 8)))
        (br $gram))))

  ;; The W half-step of coordinate-descent NMF over rows [r0, r1), as sweepWPart of
  ;; src/topics/nmf-sweep.ts: per row, gather (X·Hᵀ)ᵢ into xh, update wᵢ ($updateRow with G = HHᵀ),
  ;; scatter Xᵢᵀ·wᵢ into xtw and add the upper triangle of wᵢᵀ·wᵢ into wtw. Returns the summed
  ;; projected-gradient violation.
  (func (export "sweepRows")
    (param $indptr i32) (param $indices i32) (param $data i32) (param $r0 i32) (param $r1 i32)
    (param $ht i32) (param $k i32) (param $w i32) (param $g i32) (param $l1 f64)
    (param $xh i32) (param $gradient i32) (param $xtw i32) (param $wtw i32)
    (result f64)
    (local $i i32) (local $row i32) (local $total f64)
    (local.set $i (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $r1)))
        (call $gatherRow (local.get $indptr) (local.get $indices) (local.get $data) (local.get $i)
          (local.get $ht) (local.get $k) (local.get $xh))
        (local.set $row (i32.add (local.get $w) (i32.mul (local.get $i) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $total
          (f64.add (local.get $total)
            (call $updateRow (local.get $row) (local.get $k) (local.get $g) (local.get $xh) (local.get $l1)
              (local.get $gradient))))
        (call $scatterRow (local.get $indptr) (local.get $indices) (local.get $data) (local.get $i)
          (local.get $row) (local.get $k) (local.get $xtw))
        (call $addGram (local.get $row) (local.get $k) (local.get $wtw))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $total))

  ;; The H half-step over rows [c0, c1) of Hᵀ, as sweepHPart of src/topics/nmf-sweep.ts: per row j,
  ;; (Xᵀ·W)ⱼ summed over the $parts partials (each $partBytes apart) in part order into xw, update
  ;; hⱼ ($updateRow with G = WᵀW), add the upper triangle of hⱼᵀ·hⱼ into hht. Returns the violation.
  (func (export "sweepColumns")
    (param $xtwParts i32) (param $parts i32) (param $partBytes i32) (param $c0 i32) (param $c1 i32)
    (param $ht i32) (param $k i32) (param $g i32) (param $l1 f64) (param $xw i32) (param $gradient i32)
    (param $hht i32)
    (result f64)
    (local $j i32) (local $bytes i32) (local $row i32) (local $c i32) (local $p i32) (local $from i32)
    (local $sum f64) (local $total f64)
    (local.set $bytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $j (local.get $c0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $j) (local.get $c1)))
        (local.set $row (i32.mul (local.get $j) (local.get $bytes)))
        (local.set $c (i32.const 0))
        (block $sumsDone
          (loop $sums
            (br_if $sumsDone (i32.ge_u (local.get $c) (local.get $bytes)))
            (local.set $from (i32.add (i32.add (local.get $xtwParts) (local.get $row)) (local.get $c)))
            (local.set $sum (f64.load (local.get $from)))
            (local.set $p (i32.const 1))
            (block $partsDone
              (loop $partsLoop
                (br_if $partsDone (i32.ge_s (local.get $p) (local.get $parts)))
                (local.set $sum
                  (f64.add (local.get $sum)
                    (f64.load (i32.add (local.get $from) (i32.mul (local.get $p) (local.get $partBytes))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $partsLoop)))
            (f64.store (i32.add (local.get $xw) (local.get $c)) (local.get $sum))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $sums)))
        (local.set $total
          (f64.add (local.get $total)
            (call $updateRow (i32.add (local.get $ht) (local.get $row)) (local.get $k) (local.get $g)
              (local.get $xw) (local.get $l1) (local.get $gradient))))
        (call $addGram (i32.add (local.get $ht) (local.get $row)) (local.get $k) (local.get $hht))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))
    (local.get $total)))
