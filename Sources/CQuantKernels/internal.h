// Helpers shared by the kernel variants (dot_avx2.c, dot_vnni.c) and quant_kernels.c.
#ifndef CQUANT_INTERNAL_H
#define CQUANT_INTERNAL_H

#include "quant_kernels.h"

#include <math.h>
#include <string.h>

// The package builds its numeric code for x86-64-v3 (Package.swift); these kernels need the same.
#if !(defined(__AVX2__) && defined(__FMA__) && defined(__F16C__))
#error "CQuantKernels needs AVX2, FMA and F16C (-march=x86-64-v3)"
#endif
#include <immintrin.h>

#define CQ_INLINE static inline __attribute__((always_inline))

// The activation blocks' layouts are read by the Swift tests too: keep them fixed.
_Static_assert(sizeof(cq_block_q8) == 48, "cq_block_q8 is d, s, sum, reserved and 32 codes");
_Static_assert(sizeof(cq_block_q8k) == 292, "cq_block_q8k is d, 256 codes and 16 sums");

// MARK: - Scalars

CQ_INLINE float fp16_to_fp32(uint16_t h) { return _cvtsh_ss(h); }

/// `f` rounded to the nearest fp16 value (ties to even), returned as fp32.
CQ_INLINE float round_through_fp16(float f) { return _cvtsh_ss(_cvtss_sh(f, 0)); }

CQ_INLINE float load_fp16(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return fp16_to_fp32(h);
}

CQ_INLINE uint32_t load_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/// The 6-bit scale and min of sub-block j (0..<8) from the 12 packed bytes of Q4_K/Q5_K.
CQ_INLINE void scale_min_k4(const uint8_t *q, int j, uint8_t *scale, uint8_t *min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
        *min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

CQ_INLINE size_t block_bytes(int type) {
    switch (type) {
    case CQ_Q4_0: return 18;
    case CQ_Q4_1: return 20;
    case CQ_Q5_0: return 22;
    case CQ_Q5_1: return 24;
    case CQ_Q8_0: return 34;
    case CQ_Q4_K: return 144;
    case CQ_Q5_K: return 176;
    case CQ_Q6_K: return 210;
    default: return 0;
    }
}



CQ_INLINE float hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// 16 bytes of nibbles -> 32 bytes: the low nibbles (elements 0..15), then the high ones (16..31).
/// One broadcast load; the upper 128 bits are shifted by 4 before the mask.
CQ_INLINE __m256i unpack_nibbles(const uint8_t *p) {
    const __m256i both = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)p));
    return _mm256_and_si256(_mm256_srlv_epi64(both, _mm256_setr_epi64x(0, 0, 4, 4)), _mm256_set1_epi8(0x0F));
}

/// 32 bits -> 32 bytes, byte j = 0x10 where bit j is set (the fifth bit of a Q5 code).
CQ_INLINE __m256i fifth_bits(uint32_t bits) {
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32((int)bits),
        _mm256_setr_epi8(
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
    const __m256i select = _mm256_set1_epi64x(0x8040201008040201LL);
    const __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, select), select);
    return _mm256_and_si256(set, _mm256_set1_epi8(0x10));
}

/// The 8 six-bit scales and mins of a Q4_K/Q5_K block, unpacked four bytes at a time.
CQ_INLINE void k4_scales(const uint8_t *packed, uint8_t scales[8], uint8_t mins[8]) {
    uint32_t a[3], s[2], m[2];
    memcpy(a, packed, 12);
    s[0] = a[0] & 0x3F3F3F3F;
    m[0] = a[1] & 0x3F3F3F3F;
    s[1] = (a[2] & 0x0F0F0F0F) | (((a[0] >> 6) & 0x03030303) << 4);
    m[1] = ((a[2] >> 4) & 0x0F0F0F0F) | (((a[1] >> 6) & 0x03030303) << 4);
    memcpy(scales, s, 8);
    memcpy(mins, m, 8);
}

/// Σ_j mins[j] · (bsums[2j] + bsums[2j+1]): the min term of a Q4_K/Q5_K block against one column.
CQ_INLINE int k4_min_dot(const uint8_t mins[8], const int16_t *bsums) {
    const __m128i pairs = _mm_hadd_epi16(_mm_loadu_si128((const __m128i *)bsums), _mm_loadu_si128((const __m128i *)(bsums + 8)));
    __m128i v = _mm_madd_epi16(pairs, _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)mins)));
    v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0x4E));
    v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0xB1));
    return _mm_cvtsi128_si32(v);
}

/// `cq_matmul` in each instruction-set variant.
void cq_matmul_avx2(
    int type, const uint8_t *w, size_t row_bytes, int r0, int r1, int n, const uint8_t *xq, size_t xq_stride, int ncols,
    float *y, size_t ldy);
void cq_matmul_vnni(
    int type, const uint8_t *w, size_t row_bytes, int r0, int r1, int n, const uint8_t *xq, size_t xq_stride, int ncols,
    float *y, size_t ldy);

#endif
