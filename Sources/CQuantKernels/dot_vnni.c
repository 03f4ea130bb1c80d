// The dot-product kernels for AVX-512 VNNI on 256-bit vectors (Zen 4, Ice Lake and later): one vpdpbusd
// per byte product instead of maddubs + madd, and the Q5 fifth bits added straight from the 32-bit mask.
// Selected at run time (quant_kernels.c) when the processor has AVX512-VNNI, -VL and -BW.
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512bw,avx512vnni"))), apply_to = function)

#include "internal.h"

CQ_INLINE __m256i dot_u8_i8_vnni(__m256i u, __m256i s) { return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s); }

CQ_INLINE __m256i q5_codes_vnni(__m256i nibbles, uint32_t bits) {
    return _mm256_mask_add_epi8(nibbles, (__mmask32)bits, nibbles, _mm256_set1_epi8(0x10));
}

#define CQ_DOT_U8_I8(u, s) dot_u8_i8_vnni(u, s)
#define CQ_Q5_CODES(nibbles, bits) q5_codes_vnni(nibbles, bits)
#define CQ_ENTRY cq_matmul_vnni
#include "dot_kernels.h"

#pragma clang attribute pop
