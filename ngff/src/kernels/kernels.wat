;; fairio's pixel kernels in WebAssembly SIMD (128-bit): the byte shuffle of
;; Blosc for 2-byte items and its inverse, the minimum and maximum of uint16
;; pixels, and the rounded 2×2 mean of uint16 pixels. JavaScript runs these loops at about 1–2 ns per pixel; here
;; each instruction handles 8 or 16 of them.
;;
;; All addresses are byte offsets into the imported memory, 16-byte aligned;
;; counts are multiples of 16 items (the caller does the rest in JavaScript).
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
)
