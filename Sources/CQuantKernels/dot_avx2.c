// The dot-product kernels for AVX2 (x86-64-v3): byte products through maddubs + madd.
#include "internal.h"

CQ_INLINE __m256i dot_u8_i8_avx2(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

#define CQ_DOT_U8_I8(u, s) dot_u8_i8_avx2(u, s)
#define CQ_Q5_CODES(nibbles, bits) _mm256_or_si256(nibbles, fifth_bits(bits))
#define CQ_ENTRY cq_matmul_avx2
#include "dot_kernels.h"
