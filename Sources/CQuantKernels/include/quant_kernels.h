// Fused dot products of ggml-quantized weight rows with 8-bit-quantized activations.
//
// Decoding a token is a matrix-vector product per layer, bound by memory bandwidth: the weights must
// be read once, in their file's quantization, with integer arithmetic that keeps up with the memory.
// As llama.cpp's CPU backend does, each activation row is quantized once per product to 8 bits —
// blocks of 32 for the legacy weight types, super-blocks of 256 with 16-element sums for the K-quants —
// and every weight block is dotted in integers, scaled once per (sub-)block.
//
// Weight layouts are ggml's (`block_q4_0` ... `block_q6_K` in ggml-common.h); the project's Swift
// decoders (Sources/LLM/Quantization) document them and are checked against the `gguf` package.
// Every SIMD kernel has a scalar twin (`cq_vec_dot_reference`) that the tests compare it with.
#ifndef CQUANT_KERNELS_H
#define CQUANT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// ggml type ids of the weight types these kernels take (the same numbers as `GGMLType`).
enum {
    CQ_Q4_0 = 2,
    CQ_Q4_1 = 3,
    CQ_Q5_0 = 6,
    CQ_Q5_1 = 7,
    CQ_Q8_0 = 8,
    CQ_Q4_K = 12,
    CQ_Q5_K = 13,
    CQ_Q6_K = 14,
};

/// 32 activations: scale `d`, `s` = d * sum(q) rounded through fp16 (for weight types with a
/// minimum), the exact integer `sum` (for types with an offset), 32 int8 (16-byte aligned).
typedef struct {
    float d;
    float s;
    int32_t sum;
    int32_t reserved;
    int8_t q[32];
} cq_block_q8;

/// 256 activations for the K-quants: scale `d`, 256 int8, and the sum of each 16 of them.
typedef struct {
    float d;
    int8_t q[256];
    int16_t bsums[16];
} cq_block_q8k;

/// Whether `type` has a kernel here.
int cq_supports(int type);

/// Bytes of one quantized activation row of `n` values for weights of `type` (n: whole blocks).
size_t cq_activation_row_bytes(int type, int n);

/// Quantizes `n` fp32 activations into the block format `type`'s kernel reads.
void cq_quantize_activations(int type, const float *x, int n, void *out);

/// sum_i W[i] * x[i] for one weight row of `n` values against one quantized activation row.
float cq_vec_dot(int type, const void *w, const void *xq, int n);

/// The same in plain C, one element at a time: the reference the SIMD kernels are tested against.
float cq_vec_dot_reference(int type, const void *w, const void *xq, int n);

/// y[c * ldy + r] = W[r] . x_c for rows r in [r0, r1) and activation rows c in [0, ncols);
/// `w` points at row 0, rows are `row_bytes` apart; activation row c starts at xq + c * xq_stride.
void cq_matmul(
    int type, const void *w, size_t row_bytes, int r0, int r1, int n, const void *xq, size_t xq_stride, int ncols,
    float *y, size_t ldy);

/// The instruction set the dot products use: "avx512vnni" where the processor has it, else "avx2".
const char *cq_kernel_variant(void);

/// Allows (1, the default) or forbids (0) the AVX-512 VNNI variant: for tests that compare the two.
/// Not thread-safe: call before products run.
void cq_allow_vnni(int allowed);

/// Decodes `n` weights (whole blocks) of `type` to fp32: the tiles that prefill multiplies with SGEMM.
/// Equal to the project's Swift decoders (`Dequantize`) up to fp32 rounding of d·scale products.
void cq_dequantize_row(int type, const void *w, int n, float *out);

#ifdef __cplusplus
}
#endif

#endif
