;; fairio's pixel kernels in WebAssembly SIMD (128-bit): Blosc's byte shuffle
;; of 2- and 4-byte items and its inverse, the minimum and maximum of uint16
;; and float32 pixels, and the 2×2 mean of uint16 (rounded) and float32 pixels.
;; JavaScript runs these loops at about 1–2 ns per pixel; here each
;; instruction handles 4 to 16 of them.
;;
;; All addresses are byte offsets into the imported memory (loads and stores
;; need no alignment); counts are whole SIMD steps (the caller does the rest
;; in JavaScript), except for shuffle4/unshuffle4, which take any count and
;; do its last n mod 16 items one byte at a time.
;; Built into kernels-wasm.ts by `node ngff/scripts/build-kernels.mjs`.
(module
  (import "env" "memory" (memory 1))

  ;; n 2-byte items at src → n low bytes at dst, then n high bytes at dst + n.
  (func (export "shuffle2") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $a v128) (local $b v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1)))))
        (local.set $b (v128.load offset=16 (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1)))))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $a) (local.get $b)))
        (v128.store (i32.add (i32.add (local.get $dst) (local.get $n)) (local.get $i))
          (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $a) (local.get $b)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; The inverse: n low bytes at src and n high bytes at src + n → n 2-byte items at dst.
  (func (export "unshuffle2") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $lo v128) (local $hi v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $lo (v128.load (i32.add (local.get $src) (local.get $i))))
        (local.set $hi (v128.load (i32.add (i32.add (local.get $src) (local.get $n)) (local.get $i))))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1)))
          (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $lo) (local.get $hi)))
        (v128.store offset=16 (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1)))
          (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $lo) (local.get $hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; Minimum and maximum of n uint16 items at src, lane by lane: 8 minima at
  ;; out, 8 maxima at out + 16 (the caller takes the smallest and largest lane).
  (func (export "minmax_u16") (param $src i32) (param $n i32) (param $out i32)
    (local $i i32) (local $end i32) (local $lo v128) (local $hi v128) (local $v v128)
    (local.set $lo (i16x8.splat (i32.const 0xffff)))
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (local.set $i (local.get $src))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $lo (i16x8.min_u (local.get $lo) (local.get $v)))
        (local.set $hi (i16x8.max_u (local.get $hi) (local.get $v)))
        (local.set $v (v128.load offset=16 (local.get $i)))
        (local.set $lo (i16x8.min_u (local.get $lo) (local.get $v)))
        (local.set $hi (i16x8.max_u (local.get $hi) (local.get $v)))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $next)))
    (v128.store (local.get $out) (local.get $lo))
    (v128.store offset=16 (local.get $out) (local.get $hi)))

  ;; Rounded 2×2 means of two uint16 rows: out[i] = (r0[2i] + r0[2i+1] +
  ;; r1[2i] + r1[2i+1] + 2) >> 2 for i < n (n a multiple of 8), exactly the
  ;; integer arithmetic of the JavaScript loop (sums fit in 32 bits).
  (func (export "mean2x2_u16") (param $r0 i32) (param $r1 i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $lo v128) (local $hi v128) (local $two v128)
    (local.set $two (i32x4.splat (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $lo (i32x4.shr_u (i32x4.add (local.get $two) (i32x4.add
          (i32x4.extadd_pairwise_i16x8_u (v128.load (i32.add (local.get $r0) (i32.shl (local.get $i) (i32.const 2)))))
          (i32x4.extadd_pairwise_i16x8_u (v128.load (i32.add (local.get $r1) (i32.shl (local.get $i) (i32.const 2)))))))
          (i32.const 2)))
        (local.set $hi (i32x4.shr_u (i32x4.add (local.get $two) (i32x4.add
          (i32x4.extadd_pairwise_i16x8_u (v128.load offset=16 (i32.add (local.get $r0) (i32.shl (local.get $i) (i32.const 2)))))
          (i32x4.extadd_pairwise_i16x8_u (v128.load offset=16 (i32.add (local.get $r1) (i32.shl (local.get $i) (i32.const 2)))))))
          (i32.const 2)))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1)))
          (i16x8.narrow_i32x4_u (local.get $lo) (local.get $hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next))))

  ;; n 4-byte items at src → 4 streams of n bytes at dst (byte k of item i at
  ;; dst + k·n + i), Blosc's shuffle for typesize 4. Each step transposes 16
  ;; items (64 bytes): a one-input byte shuffle per vector (its 4 items' byte
  ;; 0s, 1s, 2s, 3s), then a 4×4 transpose of 32-bit lanes by unpacks — the
  ;; shuffles V8 has single instructions for (two-input byte gathers cost
  ;; three); the last n mod 16 items go byte by byte. Only src is aligned.
  (func (export "shuffle4") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $body i32) (local $p i32) (local $q i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $ab0 v128) (local $ab1 v128) (local $cd0 v128) (local $cd1 v128)
    (local.set $body (i32.and (local.get $n) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $body)))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $a (v128.load (local.get $p)))
        (local.set $a (i8x16.shuffle 0 4 8 12 1 5 9 13 2 6 10 14 3 7 11 15 (local.get $a) (local.get $a)))
        (local.set $b (v128.load offset=16 (local.get $p)))
        (local.set $b (i8x16.shuffle 0 4 8 12 1 5 9 13 2 6 10 14 3 7 11 15 (local.get $b) (local.get $b)))
        (local.set $c (v128.load offset=32 (local.get $p)))
        (local.set $c (i8x16.shuffle 0 4 8 12 1 5 9 13 2 6 10 14 3 7 11 15 (local.get $c) (local.get $c)))
        (local.set $d (v128.load offset=48 (local.get $p)))
        (local.set $d (i8x16.shuffle 0 4 8 12 1 5 9 13 2 6 10 14 3 7 11 15 (local.get $d) (local.get $d)))
        ;; 32-bit lanes: ab0 = [a.0 b.0 a.1 b.1], ab1 = [a.2 b.2 a.3 b.3], the same for c, d
        (local.set $ab0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
        (local.set $ab1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
        (local.set $cd0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
        (local.set $cd1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
        (local.set $q (i32.add (local.get $dst) (local.get $i)))
        (v128.store (local.get $q)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab0) (local.get $cd0)))
        (local.set $q (i32.add (local.get $q) (local.get $n)))
        (v128.store (local.get $q)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab0) (local.get $cd0)))
        (local.set $q (i32.add (local.get $q) (local.get $n)))
        (v128.store (local.get $q)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab1) (local.get $cd1)))
        (local.set $q (i32.add (local.get $q) (local.get $n)))
        (v128.store (local.get $q)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab1) (local.get $cd1)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $q (i32.add (local.get $dst) (local.get $i)))
        (i32.store8 (local.get $q) (i32.load8_u (local.get $p)))
        (local.set $q (i32.add (local.get $q) (local.get $n)))
        (i32.store8 (local.get $q) (i32.load8_u offset=1 (local.get $p)))
        (local.set $q (i32.add (local.get $q) (local.get $n)))
        (i32.store8 (local.get $q) (i32.load8_u offset=2 (local.get $p)))
        (local.set $q (i32.add (local.get $q) (local.get $n)))
        (i32.store8 (local.get $q) (i32.load8_u offset=3 (local.get $p)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; The inverse: 4 streams of n bytes at src → n 4-byte items at dst.
  (func (export "unshuffle4") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $body i32) (local $p i32) (local $q i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $lo01 v128) (local $hi01 v128) (local $lo23 v128) (local $hi23 v128)
    (local.set $body (i32.and (local.get $n) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $body)))
        (local.set $p (i32.add (local.get $src) (local.get $i)))
        (local.set $s0 (v128.load (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (local.set $s1 (v128.load (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (local.set $s2 (v128.load (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (local.set $s3 (v128.load (local.get $p)))
        ;; bytes 0, 1 of items 0–7 (then 8–15) interleaved; the same for bytes 2, 3
        (local.set $lo01 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $s0) (local.get $s1)))
        (local.set $hi01 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $s0) (local.get $s1)))
        (local.set $lo23 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $s2) (local.get $s3)))
        (local.set $hi23 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $s2) (local.get $s3)))
        (local.set $q (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store (local.get $q)
          (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=16 (local.get $q)
          (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=32 (local.get $q)
          (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $hi01) (local.get $hi23)))
        (v128.store offset=48 (local.get $q)
          (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $hi01) (local.get $hi23)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $src) (local.get $i)))
        (local.set $q (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
        (i32.store8 (local.get $q) (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (i32.store8 offset=1 (local.get $q) (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (i32.store8 offset=2 (local.get $q) (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (i32.store8 offset=3 (local.get $q) (i32.load8_u (local.get $p)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; Minimum and maximum of n float32 items at src, lane by lane, with the
  ;; JavaScript loop's comparisons: pmin(lo, v) is `v < lo ? v : lo` and
  ;; pmax(hi, v) is `hi < v ? v : hi`, so NaN never wins and the first of
  ;; equal values (-0, +0) stays. 8 minima at out, 8 maxima at out + 32.
  (func (export "minmax_f32") (param $src i32) (param $n i32) (param $out i32)
    (local $i i32) (local $end i32) (local $v v128)
    (local $lo0 v128) (local $lo1 v128) (local $hi0 v128) (local $hi1 v128)
    (local.set $lo0 (f32x4.splat (f32.const inf)))
    (local.set $lo1 (local.get $lo0))
    (local.set $hi0 (f32x4.splat (f32.const -inf)))
    (local.set $hi1 (local.get $hi0))
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $i (local.get $src))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $lo0 (f32x4.pmin (local.get $lo0) (local.get $v)))
        (local.set $hi0 (f32x4.pmax (local.get $hi0) (local.get $v)))
        (local.set $v (v128.load offset=16 (local.get $i)))
        (local.set $lo1 (f32x4.pmin (local.get $lo1) (local.get $v)))
        (local.set $hi1 (f32x4.pmax (local.get $hi1) (local.get $v)))
        (local.set $v (v128.load offset=32 (local.get $i)))
        (local.set $lo0 (f32x4.pmin (local.get $lo0) (local.get $v)))
        (local.set $hi0 (f32x4.pmax (local.get $hi0) (local.get $v)))
        (local.set $v (v128.load offset=48 (local.get $i)))
        (local.set $lo1 (f32x4.pmin (local.get $lo1) (local.get $v)))
        (local.set $hi1 (f32x4.pmax (local.get $hi1) (local.get $v)))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $next)))
    (v128.store (local.get $out) (local.get $lo0))
    (v128.store offset=16 (local.get $out) (local.get $lo1))
    (v128.store offset=32 (local.get $out) (local.get $hi0))
    (v128.store offset=48 (local.get $out) (local.get $hi1)))

  ;; 2×2 means of two float32 rows as JavaScript computes them: out[i] =
  ;; fround((((r0[2i] + r0[2i+1]) + r1[2i]) + r1[2i+1]) / 4), the sums in
  ;; float64 in that order (f64x2, two outputs per vector), ·0.25 being
  ;; exactly /4, and the demotion rounding to nearest even as fround does;
  ;; for i < n, n a multiple of 4. Each sum is written `new + sum`: the same
  ;; value (addition commutes), and where both are NaN V8's JavaScript keeps
  ;; the right operand's payload, its wasm the left's (x64), so the NaNs are
  ;; the JavaScript loop's too (kernels.test.ts checks the bits).
  (func (export "mean2x2_f32") (param $r0 i32) (param $r1 i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $p i32) (local $q i32)
    (local $a0 v128) (local $a1 v128) (local $c0 v128) (local $c1 v128) (local $quarter v128)
    (local $lo v128) (local $hi v128)
    (local.set $quarter (f64x2.splat (f64.const 0.25)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $r0) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $q (i32.add (local.get $r1) (i32.shl (local.get $i) (i32.const 3))))
        ;; a0 = [x0 y0 x1 y1] of row 0 (outputs i, i+1), a1 the next two outputs; c0, c1 of row 1
        (local.set $a0 (v128.load (local.get $p)))
        (local.set $a1 (v128.load offset=16 (local.get $p)))
        (local.set $c0 (v128.load (local.get $q)))
        (local.set $c1 (v128.load offset=16 (local.get $q)))
        (local.set $lo (f64x2.mul (local.get $quarter)
          (f64x2.add
            (f64x2.promote_low_f32x4 (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $c0) (local.get $c0)))
            (f64x2.add
              (f64x2.promote_low_f32x4 (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $c0) (local.get $c0)))
              (f64x2.add
                (f64x2.promote_low_f32x4 (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $a0) (local.get $a0)))
                (f64x2.promote_low_f32x4 (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $a0) (local.get $a0))))))))
        (local.set $hi (f64x2.mul (local.get $quarter)
          (f64x2.add
            (f64x2.promote_low_f32x4 (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $c1) (local.get $c1)))
            (f64x2.add
              (f64x2.promote_low_f32x4 (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $c1) (local.get $c1)))
              (f64x2.add
                (f64x2.promote_low_f32x4 (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $a1) (local.get $a1)))
                (f64x2.promote_low_f32x4 (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $a1) (local.get $a1))))))))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))))

  ;; 1 / (1 + e^-x) of two float64 lanes, as the JavaScript 1 / (1 + Math.exp(-x)) computes it to the last float32 bit:
  ;; e^t = 2^k · e^r, k = round(t / ln 2), r = t − k·ln 2 (Cody–Waite, ln 2 in two parts), e^r by its Taylor
  ;; polynomial of degree 13 (error < 1e-17 for |r| ≤ ln 2 / 2) evaluated by Estrin's scheme, 2^k built in the
  ;; exponent bits. t is clamped to [−110, 110]: beyond it the float32 result is 1 or 0 either way.
  (func $sigmoid2 (param $x v128) (result v128)
    (local $t v128) (local $k v128) (local $r v128) (local $r2 v128) (local $r4 v128) (local $p v128)
    (local.set $t (f64x2.min (f64x2.max (f64x2.neg (local.get $x)) (f64x2.splat (f64.const -110))) (f64x2.splat (f64.const 110))))
    (local.set $k (f64x2.nearest (f64x2.mul (local.get $t) (f64x2.splat (f64.const 0x1.71547652b82fep+0)))))
    (local.set $r (f64x2.sub
      (f64x2.sub (local.get $t) (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.62e42feep-1))))
      (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33)))))
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    ;; Σ r^n / n!, n = 0…13, as pairs (c_2i + c_2i+1·r) combined with r², r⁴, r⁸
    (local.set $p (f64x2.add
      (f64x2.add
        (f64x2.add (f64x2.add (f64x2.splat (f64.const 1)) (local.get $r))
          (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1p-1)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.5555555555555p-3))))))
        (f64x2.mul (local.get $r4)
          (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.5555555555555p-5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.1111111111111p-7))))
            (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.6c16c16c16c17p-10)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.a01a01a01a01ap-13))))))))
      (f64x2.mul (f64x2.mul (local.get $r4) (local.get $r4))
        (f64x2.add
          (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.a01a01a01a01ap-16)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.71de3a556c734p-19))))
            (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.27e4fb7789f5cp-22)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.ae64567f544e4p-26))))))
          (f64x2.mul (local.get $r4) (f64x2.add (f64x2.splat (f64.const 0x1.1eed8eff8d898p-29)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.6124613a86d09p-33)))))))))
    (f64x2.div (f64x2.splat (f64.const 1))
      (f64x2.add (f64x2.splat (f64.const 1))
        (f64x2.mul (local.get $p)
          ;; 2^k: (k + 1023) in the exponent field
          (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k))) (i64x2.splat (i64.const 1023))) (i32.const 52))))))
  ;; sigmoid of `items` float32 (a multiple of 4) at src into dst: each widened to float64, the result rounded once
  (func (export "sigmoid_f32") (param $src i32) (param $dst i32) (param $items i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $items) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $x (v128.load (local.get $src)))
      (v128.store (local.get $dst)
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (call $sigmoid2 (f64x2.promote_low_f32x4 (local.get $x))))
          (f32x4.demote_f64x2_zero (call $sigmoid2 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x) (local.get $x)))))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $next))))
)
