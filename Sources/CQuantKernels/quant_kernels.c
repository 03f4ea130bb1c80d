// Fused quantized dot products; see include/quant_kernels.h for the why.
//
// Order of operations: each weight block's integer dot with the activation block is exact (int32),
// then scaled by the product of the two fp16/fp32 scales, as llama.cpp's `ggml_vec_dot_*` do, so the
// result differs from dequantize-then-dot only by the activations' 8-bit rounding and fp32 summation
// order. Activation scales are rounded through fp16 for the 32-element blocks (block_q8_0 / q8_1 keep
// them as fp16) and kept in fp32 for the K-quants (block_q8_K), again as the peer does, so that greedy
// decoding can agree with it token for token.
#include "quant_kernels.h"

#include <math.h>
#include <string.h>

// The package builds its numeric code for x86-64-v3 (Package.swift); these kernels need the same.
#if !(defined(__AVX2__) && defined(__FMA__) && defined(__F16C__))
#error "CQuantKernels needs AVX2, FMA and F16C (-march=x86-64-v3)"
#endif
#include <immintrin.h>

// The activation blocks' layouts are read by the Swift tests too: keep them fixed.
_Static_assert(sizeof(cq_block_q8) == 48, "cq_block_q8 is d, s, sum, reserved and 32 codes");
_Static_assert(sizeof(cq_block_q8k) == 292, "cq_block_q8k is d, 256 codes and 16 sums");

// MARK: - Scalars

static inline float fp16_to_fp32(uint16_t h) { return _cvtsh_ss(h); }

/// `f` rounded to the nearest fp16 value (ties to even), returned as fp32.
static inline float round_through_fp16(float f) { return _cvtsh_ss(_cvtss_sh(f, 0)); }

static inline float load_fp16(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return fp16_to_fp32(h);
}

static inline uint32_t load_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/// The 6-bit scale and min of sub-block j (0..<8) from the 12 packed bytes of Q4_K/Q5_K.
static inline void scale_min_k4(const uint8_t *q, int j, uint8_t *scale, uint8_t *min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
        *min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

static inline size_t block_bytes(int type) {
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

int cq_supports(int type) { return block_bytes(type) != 0; }

size_t cq_activation_row_bytes(int type, int n) {
    return type >= CQ_Q4_K ? (size_t)(n / 256) * sizeof(cq_block_q8k) : (size_t)(n / 32) * sizeof(cq_block_q8);
}

// MARK: - Activation quantization

/// Blocks of 32: d = max|x| / 127 (stored rounded through fp16), q = round-half-even(x / d).
static void quantize_q8(const float *x, int n, cq_block_q8 *y) {
    for (int b = 0; b < n / 32; b++) {
        const float *v = x + 32 * b;
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = fmaxf(amax, fabsf(v[j]));
        const float d = amax / 127, inverse = d != 0 ? 1 / d : 0;
        int sum = 0;
        for (int j = 0; j < 32; j++) {
            const int q = (int)nearbyintf(v[j] * inverse);
            y[b].q[j] = (int8_t)q;
            sum += q;
        }
        y[b].d = round_through_fp16(d);
        y[b].s = round_through_fp16(d * (float)sum);
        y[b].sum = sum;
    }
}

/// Super-blocks of 256: d = max|x| / 127 in fp32, q = round-half-even(x · 127 / max|x|), sums per 16.
static void quantize_q8k(const float *x, int n, cq_block_q8k *y) {
    for (int b = 0; b < n / 256; b++) {
        const float *v = x + 256 * b;
        float amax = 0;
        for (int j = 0; j < 256; j++) amax = fmaxf(amax, fabsf(v[j]));
        if (amax == 0) {
            memset(&y[b], 0, sizeof(cq_block_q8k));
            continue;
        }
        const float inverse = 127 / amax;
        for (int j = 0; j < 256; j++) {
            int q = (int)nearbyintf(v[j] * inverse);
            y[b].q[j] = (int8_t)(q > 127 ? 127 : (q < -127 ? -127 : q));
        }
        for (int g = 0; g < 16; g++) {
            int sum = 0;
            for (int j = 0; j < 16; j++) sum += y[b].q[16 * g + j];
            y[b].bsums[g] = (int16_t)sum;
        }
        y[b].d = 1 / inverse;
    }
}

void cq_quantize_activations(int type, const float *x, int n, void *out) {
    if (type >= CQ_Q4_K) {
        quantize_q8k(x, n, (cq_block_q8k *)out);
    } else {
        quantize_q8(x, n, (cq_block_q8 *)out);
    }
}

// MARK: - Reference dot products (one element at a time)

/// Element j (0..<32) of a legacy block as an integer: the 4-bit or 5-bit code, before offset and scale.
static inline int legacy_code(const uint8_t *nibbles, uint32_t high_bits, int j) {
    const int nibble = j < 16 ? (nibbles[j] & 0x0F) : (nibbles[j - 16] >> 4);
    return nibble | (int)(((high_bits >> j) & 1) << 4);
}

static float reference_legacy(int type, const uint8_t *w, const cq_block_q8 *x, int n) {
    float total = 0;
    const size_t stride = block_bytes(type);
    for (int b = 0; b < n / 32; b++) {
        const uint8_t *block = w + stride * b;
        const float d = load_fp16(block) * x[b].d;
        int dot = 0;
        float min_term = 0;
        switch (type) {
        case CQ_Q8_0:
            for (int j = 0; j < 32; j++) dot += (int8_t)block[2 + j] * x[b].q[j];
            break;
        case CQ_Q4_0:
            for (int j = 0; j < 32; j++) dot += (legacy_code(block + 2, 0, j) - 8) * x[b].q[j];
            break;
        case CQ_Q4_1:
            for (int j = 0; j < 32; j++) dot += legacy_code(block + 4, 0, j) * x[b].q[j];
            min_term = load_fp16(block + 2) * x[b].s;
            break;
        case CQ_Q5_0:
            for (int j = 0; j < 32; j++) dot += (legacy_code(block + 6, load_u32(block + 2), j) - 16) * x[b].q[j];
            break;
        case CQ_Q5_1:
            for (int j = 0; j < 32; j++) dot += legacy_code(block + 8, load_u32(block + 4), j) * x[b].q[j];
            min_term = load_fp16(block + 2) * x[b].s;
            break;
        }
        total += d * (float)dot + min_term;
    }
    return total;
}

/// Q4_K / Q5_K: x = d·scale·q − dmin·min per sub-block of 32.
static float reference_k4(int type, const uint8_t *w, const cq_block_q8k *x, int n) {
    const int five = type == CQ_Q5_K;
    const size_t stride = block_bytes(type);
    float total = 0;
    for (int b = 0; b < n / 256; b++) {
        const uint8_t *block = w + stride * b;
        const float d = load_fp16(block) * x[b].d, dmin = load_fp16(block + 2) * x[b].d;
        const uint8_t *scales = block + 4, *qh = block + 16, *qs = block + (five ? 48 : 16);
        int dot = 0, mins = 0;
        for (int sub = 0; sub < 8; sub++) {
            uint8_t scale, min;
            scale_min_k4(scales, sub, &scale, &min);
            int sub_dot = 0;
            for (int l = 0; l < 32; l++) {
                const uint8_t byte = qs[32 * (sub / 2) + l];
                int q = (sub % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
                if (five && (qh[l] >> sub) & 1) q += 16;
                sub_dot += q * x[b].q[32 * sub + l];
            }
            dot += scale * sub_dot;
            mins += min * (x[b].bsums[2 * sub] + x[b].bsums[2 * sub + 1]);
        }
        total += d * (float)dot - dmin * (float)mins;
    }
    return total;
}

/// Q6_K: x = d·scale·(q − 32) per 16 elements.
static float reference_q6k(const uint8_t *w, const cq_block_q8k *x, int n) {
    float total = 0;
    for (int b = 0; b < n / 256; b++) {
        const uint8_t *block = w + 210 * b;
        const float d = load_fp16(block + 208) * x[b].d;
        int dot = 0;
        for (int part = 0; part < 2; part++) {
            const uint8_t *ql = block + 64 * part, *qh = block + 128 + 32 * part;
            const int8_t *sc = (const int8_t *)(block + 192 + 8 * part);
            const int8_t *q8 = x[b].q + 128 * part;
            for (int l = 0; l < 32; l++) {
                const int s = l / 16;
                const int q1 = ((ql[l] & 0x0F) | ((qh[l] & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                dot += sc[s] * q1 * q8[l] + sc[s + 2] * q2 * q8[l + 32] + sc[s + 4] * q3 * q8[l + 64] +
                       sc[s + 6] * q4 * q8[l + 96];
            }
        }
        total += d * (float)dot;
    }
    return total;
}

float cq_vec_dot_reference(int type, const void *w, const void *xq, int n) {
    switch (type) {
    case CQ_Q4_K:
    case CQ_Q5_K: return reference_k4(type, (const uint8_t *)w, (const cq_block_q8k *)xq, n);
    case CQ_Q6_K: return reference_q6k((const uint8_t *)w, (const cq_block_q8k *)xq, n);
    default: return reference_legacy(type, (const uint8_t *)w, (const cq_block_q8 *)xq, n);
    }
}

// MARK: - AVX2 kernels
//
// Each kernel dots one weight row with NC ≤ 4 activation rows at once: a weight block is unpacked
// into 32 codes once and used for every column, which is what makes batched decode cheaper per token
// than single decode. NC is a compile-time constant in each instantiation (the always-inline
// functions are called with literal 1..4), so the accumulators stay in registers.

#define CQ_INLINE static inline __attribute__((always_inline))

CQ_INLINE float hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// Eight int32 sums of four products each: unsigned bytes `u` (< 128) times signed bytes `s`.
CQ_INLINE __m256i dot_u8_i8(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
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

/// Legacy 32-element types. Every code is made unsigned (Q8_0 through the sign trick), so a column's
/// block dot is maddubs + madd, with an offset (Q4_0: 8, Q5_0: 16) taken out through the
/// activations' exact integer sum and a min (Q4_1, Q5_1) added through their scaled sum.
CQ_INLINE void dot_legacy(int type, const uint8_t *w, const cq_block_q8 *const *x, int blocks, const int nc, float *out) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float mins[4] = {0, 0, 0, 0};
    const size_t stride = block_bytes(type);
    for (int b = 0; b < blocks; b++) {
        const uint8_t *block = w + stride * b;
        const float dw = load_fp16(block);
        __m256i codes;
        int offset = 0;
        float mw = 0;
        switch (type) {
        case CQ_Q8_0: codes = _mm256_loadu_si256((const __m256i *)(block + 2)); break;
        case CQ_Q4_0: codes = unpack_nibbles(block + 2), offset = 8; break;
        case CQ_Q4_1: codes = unpack_nibbles(block + 4), mw = load_fp16(block + 2); break;
        case CQ_Q5_0: codes = _mm256_or_si256(unpack_nibbles(block + 6), fifth_bits(load_u32(block + 2))), offset = 16; break;
        default: codes = _mm256_or_si256(unpack_nibbles(block + 8), fifth_bits(load_u32(block + 4))), mw = load_fp16(block + 2); break;
        }
        const __m256i magnitude = type == CQ_Q8_0 ? _mm256_sign_epi8(codes, codes) : codes;
        for (int c = 0; c < nc; c++) {
            const cq_block_q8 *xb = &x[c][b];
            __m256i q8 = _mm256_loadu_si256((const __m256i *)xb->q);
            if (type == CQ_Q8_0) q8 = _mm256_sign_epi8(q8, codes);
            __m256i p = dot_u8_i8(magnitude, q8);
            if (offset) p = _mm256_sub_epi32(p, _mm256_zextsi128_si256(_mm_cvtsi32_si128(offset * xb->sum)));
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(dw * xb->d), _mm256_cvtepi32_ps(p), acc[c]);
            if (type == CQ_Q4_1 || type == CQ_Q5_1) mins[c] += mw * xb->s;
        }
    }
    for (int c = 0; c < nc; c++) out[c] = hsum_ps(acc[c]) + mins[c];
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

/// Q4_K and Q5_K: per group of 64, the low nibbles are sub-block 2g and the high ones 2g + 1; each
/// sub-block's integer dot is weighted by its 6-bit scale in int32 (madd with the scale as int16).
CQ_INLINE void dot_k4(int five, const uint8_t *w, const cq_block_q8k *const *x, int blocks, const int nc, float *out) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float mins[4] = {0, 0, 0, 0};
    const __m256i nibble = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1);
    const size_t stride = five ? 176 : 144;
    for (int b = 0; b < blocks; b++) {
        const uint8_t *block = w + stride * b;
        const uint8_t *qs = block + (five ? 48 : 16);
        uint8_t scales[8], mn[8];
        k4_scales(block + 4, scales, mn);
        const float d = load_fp16(block), dmin = load_fp16(block + 2);
        const __m256i high = five ? _mm256_loadu_si256((const __m256i *)(block + 16)) : _mm256_setzero_si256();
        __m256i sum[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int g = 0; g < 4; g++) {
            const __m256i bytes = _mm256_loadu_si256((const __m256i *)(qs + 32 * g));
            __m256i low = _mm256_and_si256(bytes, nibble), up = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble);
            if (five) {
                low = _mm256_or_si256(low, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * g), one), 4));
                up = _mm256_or_si256(up, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * g + 1), one), 4));
            }
            const __m256i s0 = _mm256_set1_epi16(scales[2 * g]), s1 = _mm256_set1_epi16(scales[2 * g + 1]);
            for (int c = 0; c < nc; c++) {
                const int8_t *q8 = x[c][b].q + 64 * g;
                const __m256i p0 = _mm256_maddubs_epi16(low, _mm256_loadu_si256((const __m256i *)q8));
                const __m256i p1 = _mm256_maddubs_epi16(up, _mm256_loadu_si256((const __m256i *)(q8 + 32)));
                sum[c] = _mm256_add_epi32(sum[c], _mm256_add_epi32(_mm256_madd_epi16(p0, s0), _mm256_madd_epi16(p1, s1)));
            }
        }
        for (int c = 0; c < nc; c++) {
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(d * x[c][b].d), _mm256_cvtepi32_ps(sum[c]), acc[c]);
            mins[c] += dmin * x[c][b].d * (float)k4_min_dot(mn, x[c][b].bsums);
        }
    }
    for (int c = 0; c < nc; c++) out[c] = hsum_ps(acc[c]) - mins[c];
}

/// Q6_K: codes 0..63 times the activations (maddubs), each 16-element run weighted by its int8 scale;
/// the −32 offset is taken out once per block through the activations' 16-element sums.
CQ_INLINE void dot_q6k(const uint8_t *w, const cq_block_q8k *const *x, int blocks, const int nc, float *out) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float offsets[4] = {0, 0, 0, 0};
    const __m256i nibble = _mm256_set1_epi8(0x0F), two_bits = _mm256_set1_epi8(3);
    for (int b = 0; b < blocks; b++) {
        const uint8_t *block = w + 210 * b;
        const int8_t *sc = (const int8_t *)(block + 192);
        const float d = load_fp16(block + 208);
        const __m256i scales16 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)sc));
        __m256i sum[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int part = 0; part < 2; part++) {
            const uint8_t *ql = block + 64 * part, *qh = block + 128 + 32 * part;
            const int8_t *s = sc + 8 * part;
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
            const __m256i q1 = _mm256_or_si256(_mm256_and_si256(l0, nibble), _mm256_slli_epi16(_mm256_and_si256(h, two_bits), 4));
            const __m256i q2 = _mm256_or_si256(
                _mm256_and_si256(l1, nibble), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), two_bits), 4));
            const __m256i q3 = _mm256_or_si256(
                _mm256_and_si256(_mm256_srli_epi16(l0, 4), nibble),
                _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), two_bits), 4));
            const __m256i q4 = _mm256_or_si256(
                _mm256_and_si256(_mm256_srli_epi16(l1, 4), nibble),
                _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), two_bits), 4));
            // int16 lanes 0-7 hold elements 0-15 of a 32-run, lanes 8-15 elements 16-31: two scales each.
            const __m256i s1 = _mm256_set_m128i(_mm_set1_epi16(s[1]), _mm_set1_epi16(s[0]));
            const __m256i s2 = _mm256_set_m128i(_mm_set1_epi16(s[3]), _mm_set1_epi16(s[2]));
            const __m256i s3 = _mm256_set_m128i(_mm_set1_epi16(s[5]), _mm_set1_epi16(s[4]));
            const __m256i s4 = _mm256_set_m128i(_mm_set1_epi16(s[7]), _mm_set1_epi16(s[6]));
            for (int c = 0; c < nc; c++) {
                const int8_t *q8 = x[c][b].q + 128 * part;
                const __m256i p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(q1, _mm256_loadu_si256((const __m256i *)q8)), s1);
                const __m256i p2 = _mm256_madd_epi16(_mm256_maddubs_epi16(q2, _mm256_loadu_si256((const __m256i *)(q8 + 32))), s2);
                const __m256i p3 = _mm256_madd_epi16(_mm256_maddubs_epi16(q3, _mm256_loadu_si256((const __m256i *)(q8 + 64))), s3);
                const __m256i p4 = _mm256_madd_epi16(_mm256_maddubs_epi16(q4, _mm256_loadu_si256((const __m256i *)(q8 + 96))), s4);
                sum[c] = _mm256_add_epi32(sum[c], _mm256_add_epi32(_mm256_add_epi32(p1, p2), _mm256_add_epi32(p3, p4)));
            }
        }
        for (int c = 0; c < nc; c++) {
            // Σ_g scale_g · bsum_g: the weight of the −32 offset.
            const __m256i weighted = _mm256_madd_epi16(scales16, _mm256_loadu_si256((const __m256i *)x[c][b].bsums));
            const __m128i half = _mm_add_epi32(_mm256_castsi256_si128(weighted), _mm256_extracti128_si256(weighted, 1));
            __m128i v = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0x4E));
            v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0xB1));
            const float dc = d * x[c][b].d;
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(dc), _mm256_cvtepi32_ps(sum[c]), acc[c]);
            offsets[c] += dc * 32.0f * (float)_mm_cvtsi128_si32(v);
        }
    }
    for (int c = 0; c < nc; c++) out[c] = hsum_ps(acc[c]) - offsets[c];
}

/// One weight row against NC activation rows (NC a literal at every call site).
CQ_INLINE void dot_columns(int type, const uint8_t *row, const void *const *x, int n, const int nc, float *out) {
    switch (type) {
    case CQ_Q4_K: dot_k4(0, row, (const cq_block_q8k *const *)x, n / 256, nc, out); break;
    case CQ_Q5_K: dot_k4(1, row, (const cq_block_q8k *const *)x, n / 256, nc, out); break;
    case CQ_Q6_K: dot_q6k(row, (const cq_block_q8k *const *)x, n / 256, nc, out); break;
    case CQ_Q8_0: dot_legacy(CQ_Q8_0, row, (const cq_block_q8 *const *)x, n / 32, nc, out); break;
    case CQ_Q4_0: dot_legacy(CQ_Q4_0, row, (const cq_block_q8 *const *)x, n / 32, nc, out); break;
    case CQ_Q4_1: dot_legacy(CQ_Q4_1, row, (const cq_block_q8 *const *)x, n / 32, nc, out); break;
    case CQ_Q5_0: dot_legacy(CQ_Q5_0, row, (const cq_block_q8 *const *)x, n / 32, nc, out); break;
    case CQ_Q5_1: dot_legacy(CQ_Q5_1, row, (const cq_block_q8 *const *)x, n / 32, nc, out); break;
    default: for (int c = 0; c < nc; c++) out[c] = 0;
    }
}

static void dot_columns_1(int type, const uint8_t *row, const void *const *x, int n, float *out) { dot_columns(type, row, x, n, 1, out); }
static void dot_columns_2(int type, const uint8_t *row, const void *const *x, int n, float *out) { dot_columns(type, row, x, n, 2, out); }
static void dot_columns_3(int type, const uint8_t *row, const void *const *x, int n, float *out) { dot_columns(type, row, x, n, 3, out); }
static void dot_columns_4(int type, const uint8_t *row, const void *const *x, int n, float *out) { dot_columns(type, row, x, n, 4, out); }

// MARK: - Dequantization (AVX2)

/// dst[0..16) = codes[0..16)·scale0 + bias0 and dst[16..32) = codes[16..32)·scale1 + bias1, codes
/// unsigned (or signed with `is_signed`).
CQ_INLINE void store_codes(__m256i codes, int is_signed, float scale0, float bias0, float scale1, float bias1, float *dst) {
    const __m128i low = _mm256_castsi256_si128(codes), high = _mm256_extracti128_si256(codes, 1);
    const __m128i parts[4] = {low, _mm_srli_si128(low, 8), high, _mm_srli_si128(high, 8)};
    for (int i = 0; i < 4; i++) {
        const __m256i wide = is_signed ? _mm256_cvtepi8_epi32(parts[i]) : _mm256_cvtepu8_epi32(parts[i]);
        const float scale = i < 2 ? scale0 : scale1, bias = i < 2 ? bias0 : bias1;
        _mm256_storeu_ps(dst + 8 * i, _mm256_fmadd_ps(_mm256_cvtepi32_ps(wide), _mm256_set1_ps(scale), _mm256_set1_ps(bias)));
    }
}

static void dequantize_avx2(int type, const uint8_t *w, int n, float *out) {
    if (type < CQ_Q4_K) {
        const size_t stride = block_bytes(type);
        for (int b = 0; b < n / 32; b++) {
            const uint8_t *block = w + stride * b;
            const float d = load_fp16(block);
            float *y = out + 32 * b;
            switch (type) {
            case CQ_Q8_0: store_codes(_mm256_loadu_si256((const __m256i *)(block + 2)), 1, d, 0, d, 0, y); break;
            case CQ_Q4_0: store_codes(unpack_nibbles(block + 2), 0, d, -8 * d, d, -8 * d, y); break;
            case CQ_Q4_1: {
                const float m = load_fp16(block + 2);
                store_codes(unpack_nibbles(block + 4), 0, d, m, d, m, y);
                break;
            }
            case CQ_Q5_0:
                store_codes(
                    _mm256_or_si256(unpack_nibbles(block + 6), fifth_bits(load_u32(block + 2))), 0, d, -16 * d, d,
                    -16 * d, y);
                break;
            default: {
                const float m = load_fp16(block + 2);
                store_codes(_mm256_or_si256(unpack_nibbles(block + 8), fifth_bits(load_u32(block + 4))), 0, d, m, d, m, y);
                break;
            }
            }
        }
        return;
    }
    const __m256i nibble = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1), two_bits = _mm256_set1_epi8(3);
    for (int b = 0; b < n / 256; b++) {
        float *y = out + 256 * b;
        if (type == CQ_Q6_K) {
            const uint8_t *block = w + 210 * b;
            const int8_t *sc = (const int8_t *)(block + 192);
            const float d = load_fp16(block + 208);
            for (int part = 0; part < 2; part++) {
                const uint8_t *ql = block + 64 * part, *qh = block + 128 + 32 * part;
                const int8_t *s = sc + 8 * part;
                const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql), l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
                const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
                const __m256i q[4] = {
                    _mm256_or_si256(_mm256_and_si256(l0, nibble), _mm256_slli_epi16(_mm256_and_si256(h, two_bits), 4)),
                    _mm256_or_si256(
                        _mm256_and_si256(l1, nibble), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), two_bits), 4)),
                    _mm256_or_si256(
                        _mm256_and_si256(_mm256_srli_epi16(l0, 4), nibble),
                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), two_bits), 4)),
                    _mm256_or_si256(
                        _mm256_and_si256(_mm256_srli_epi16(l1, 4), nibble),
                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), two_bits), 4)),
                };
                for (int i = 0; i < 4; i++) {
                    const float s0 = d * s[2 * i], s1 = d * s[2 * i + 1];
                    store_codes(q[i], 0, s0, -32 * s0, s1, -32 * s1, y + 128 * part + 32 * i);
                }
            }
            continue;
        }
        const int five = type == CQ_Q5_K;
        const uint8_t *block = w + (five ? 176 : 144) * b;
        const uint8_t *qs = block + (five ? 48 : 16);
        uint8_t scales[8], mn[8];
        k4_scales(block + 4, scales, mn);
        const float d = load_fp16(block), dmin = load_fp16(block + 2);
        const __m256i high = five ? _mm256_loadu_si256((const __m256i *)(block + 16)) : _mm256_setzero_si256();
        for (int g = 0; g < 4; g++) {
            const __m256i bytes = _mm256_loadu_si256((const __m256i *)(qs + 32 * g));
            __m256i low = _mm256_and_si256(bytes, nibble), up = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble);
            if (five) {
                low = _mm256_or_si256(low, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * g), one), 4));
                up = _mm256_or_si256(up, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * g + 1), one), 4));
            }
            const float d0 = d * scales[2 * g], m0 = dmin * mn[2 * g], d1 = d * scales[2 * g + 1], m1 = dmin * mn[2 * g + 1];
            store_codes(low, 0, d0, -m0, d0, -m0, y + 64 * g);
            store_codes(up, 0, d1, -m1, d1, -m1, y + 64 * g + 32);
        }
    }
}

void cq_dequantize_row(int type, const void *w, int n, float *out) { dequantize_avx2(type, (const uint8_t *)w, n, out); }

float cq_vec_dot(int type, const void *w, const void *xq, int n) {
    float out;
    const void *x[1] = {xq};
    dot_columns_1(type, (const uint8_t *)w, x, n, &out);
    return out;
}

void cq_matmul(
    int type, const void *w, size_t row_bytes, int r0, int r1, int n, const void *xq, size_t xq_stride, int ncols,
    float *y, size_t ldy) {
    const uint8_t *rows = (const uint8_t *)w, *acts = (const uint8_t *)xq;
    for (int r = r0; r < r1; r++) {
        const uint8_t *row = rows + (size_t)r * row_bytes;
        for (int c0 = 0; c0 < ncols; c0 += 4) {
            const int nc = ncols - c0 < 4 ? ncols - c0 : 4;
            const void *x[4];
            float out[4];
            for (int c = 0; c < nc; c++) x[c] = acts + (size_t)(c0 + c) * xq_stride;
            switch (nc) {
            case 1: dot_columns_1(type, row, x, n, out); break;
            case 2: dot_columns_2(type, row, x, n, out); break;
            case 3: dot_columns_3(type, row, x, n, out); break;
            default: dot_columns_4(type, row, x, n, out); break;
            }
            for (int c = 0; c < nc; c++) y[(size_t)(c0 + c) * ldy + r] = out[c];
        }
    }
}
