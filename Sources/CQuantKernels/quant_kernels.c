// Fused quantized dot products; see include/quant_kernels.h for the why.
//
// Order of operations: each weight block's integer dot with the activation block is exact (int32),
// then scaled by the product of the two fp16/fp32 scales, as llama.cpp's `ggml_vec_dot_*` do, so the
// result differs from dequantize-then-dot only by the activations' 8-bit rounding and fp32 summation
// order. Activation scales are rounded through fp16 for the 32-element blocks (block_q8_0 / q8_1 keep
// them as fp16) and kept in fp32 for the K-quants (block_q8_K), again as the peer does, so that greedy
// decoding can agree with it token for token.
#include "internal.h"

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

// MARK: - Dispatch

/// The product for this processor: AVX-512 VNNI where present (and not switched off), else AVX2.
typedef void (*matmul_fn)(
    int type, const uint8_t *w, size_t row_bytes, int r0, int r1, int n, const uint8_t *xq, size_t xq_stride, int ncols,
    float *y, size_t ldy);
static int vnni_allowed = 1;

static int has_vnni(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl") &&
                 __builtin_cpu_supports("avx512bw");
    }
    return cached;
}

static matmul_fn matmul(void) { return vnni_allowed && has_vnni() ? cq_matmul_vnni : cq_matmul_avx2; }

const char *cq_kernel_variant(void) { return vnni_allowed && has_vnni() ? "avx512vnni" : "avx2"; }

void cq_allow_vnni(int allowed) { vnni_allowed = allowed != 0; }

float cq_vec_dot(int type, const void *w, const void *xq, int n) {
    float out;
    matmul()(type, (const uint8_t *)w, 0, 0, 1, n, (const uint8_t *)xq, 0, 1, &out, 1);
    return out;
}

void cq_matmul(
    int type, const void *w, size_t row_bytes, int r0, int r1, int n, const void *xq, size_t xq_stride, int ncols,
    float *y, size_t ldy) {
    matmul()(type, (const uint8_t *)w, row_bytes, r0, r1, n, (const uint8_t *)xq, xq_stride, ncols, y, ldy);
}
