// The dot-product kernels, included by each instruction-set variant (dot_avx2.c, dot_vnni.c), which
// define before the include:
//   CQ_DOT_U8_I8(u, s)      eight int32 sums of four products: unsigned bytes u (< 128) times signed s
//   CQ_Q5_CODES(nibbles, h) the 5-bit codes from unpacked nibbles and the 32 fifth bits h
//   CQ_ENTRY                the name of the exported product function (rows × columns)
//
// Each kernel dots one weight row with NC ≤ 4 activation rows at once: a weight block is unpacked
// into 32 codes once and used for every column, which is what makes batched decode cheaper per token
// than single decode. NC is a literal at every call (the always-inline functions are specialized),
// so the accumulators stay in registers.

/// One legacy block's codes, made unsigned (Q8_0 keeps its signed bytes: the caller moves their sign
/// onto the activations), with the offset its codes carry (Q4_0: 8, Q5_0: 16) and its min (Q4_1, Q5_1).
CQ_INLINE __m256i legacy_codes(int type, const uint8_t *block, int *offset, float *min) {
    switch (type) {
    case CQ_Q8_0: return _mm256_loadu_si256((const __m256i *)(block + 2));
    case CQ_Q4_0: *offset = 8; return unpack_nibbles(block + 2);
    case CQ_Q4_1: *min = load_fp16(block + 2); return unpack_nibbles(block + 4);
    case CQ_Q5_0: *offset = 16; return CQ_Q5_CODES(unpack_nibbles(block + 6), load_u32(block + 2));
    default: *min = load_fp16(block + 2); return CQ_Q5_CODES(unpack_nibbles(block + 8), load_u32(block + 4));
    }
}

/// acc += (dw·d_x) · (codes · q8): one block against one column, the offset taken out through the
/// activations' exact integer sum; returns the min term (Q4_1, Q5_1) for the caller to add.
CQ_INLINE __m256 legacy_block_dot(int type, __m256i codes, int offset, float dw, const cq_block_q8 *xb, __m256 acc) {
    __m256i q8 = _mm256_loadu_si256((const __m256i *)xb->q);
    __m256i magnitude = codes;
    if (type == CQ_Q8_0) {
        magnitude = _mm256_sign_epi8(codes, codes);
        q8 = _mm256_sign_epi8(q8, codes);
    }
    __m256i p = CQ_DOT_U8_I8(magnitude, q8);
    if (offset) p = _mm256_sub_epi32(p, _mm256_zextsi128_si256(_mm_cvtsi32_si128(offset * xb->sum)));
    return _mm256_fmadd_ps(_mm256_set1_ps(dw * xb->d), _mm256_cvtepi32_ps(p), acc);
}

/// Legacy 32-element types: a column's block dot is one unsigned × signed byte product (maddubs +
/// madd, or vpdpbusd), with the offset and min handled as above. Every column sums its even and its
/// odd blocks on two accumulators (consecutive blocks overlap in the pipeline) and adds them at the
/// end — the same order whatever NC is, so a row's result never depends on what shares its call.
CQ_INLINE void dot_legacy(int type, const uint8_t *w, const cq_block_q8 *const *x, int blocks, const int nc, float *out) {
    __m256 even[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    __m256 odd[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float mins[4] = {0, 0, 0, 0};
    const size_t stride = block_bytes(type);
    const int has_min = type == CQ_Q4_1 || type == CQ_Q5_1;
    int b = 0;
    for (; b + 1 < blocks; b += 2) {
        const uint8_t *b0 = w + stride * b, *b1 = b0 + stride;
        int o0 = 0, o1 = 0;
        float m0 = 0, m1 = 0;
        const __m256i c0 = legacy_codes(type, b0, &o0, &m0), c1 = legacy_codes(type, b1, &o1, &m1);
        const float d0 = load_fp16(b0), d1 = load_fp16(b1);
        for (int c = 0; c < nc; c++) {
            even[c] = legacy_block_dot(type, c0, o0, d0, &x[c][b], even[c]);
            odd[c] = legacy_block_dot(type, c1, o1, d1, &x[c][b + 1], odd[c]);
            if (has_min) mins[c] += m0 * x[c][b].s + m1 * x[c][b + 1].s;
        }
    }
    if (b < blocks) {
        const uint8_t *block = w + stride * b;
        int offset = 0;
        float min = 0;
        const __m256i codes = legacy_codes(type, block, &offset, &min);
        const float dw = load_fp16(block);
        for (int c = 0; c < nc; c++) {
            even[c] = legacy_block_dot(type, codes, offset, dw, &x[c][b], even[c]);
            if (has_min) mins[c] += min * x[c][b].s;
        }
    }
    for (int c = 0; c < nc; c++) out[c] = hsum_ps(_mm256_add_ps(even[c], odd[c])) + mins[c];
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
        // The eight scales as int16 in both 128-bit lanes; sub-block j's is then one in-lane shuffle away.
        const __m256i scale_words =
            _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)scales)));
        __m256i sum[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int g = 0; g < 4; g++) {
            const __m256i bytes = _mm256_loadu_si256((const __m256i *)(qs + 32 * g));
            __m256i low = _mm256_and_si256(bytes, nibble), up = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble);
            if (five) {
                low = _mm256_or_si256(low, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * g), one), 4));
                up = _mm256_or_si256(up, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * g + 1), one), 4));
            }
            const __m256i s0 = _mm256_shuffle_epi8(scale_words, _mm256_set1_epi16((short)((4 * g + 1) << 8 | 4 * g)));
            const __m256i s1 = _mm256_shuffle_epi8(scale_words, _mm256_set1_epi16((short)((4 * g + 3) << 8 | (4 * g + 2))));
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

/// The in-lane shuffle that puts int16 word 2i in the low 128 bits and word 2i + 1 in the high ones.
CQ_INLINE __m256i q6_pair(int i) {
    const short low = (short)((4 * i + 1) << 8 | 4 * i), high = (short)((4 * i + 3) << 8 | (4 * i + 2));
    return _mm256_set_m128i(_mm_set1_epi16(high), _mm_set1_epi16(low));
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
            // This half's eight int8 scales as int16 in both lanes; each 32-run takes two (lanes 0-7, 8-15).
            const __m256i part_words = _mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(sc + 8 * part))));
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
            const __m256i s1 = _mm256_shuffle_epi8(part_words, q6_pair(0));
            const __m256i s2 = _mm256_shuffle_epi8(part_words, q6_pair(1));
            const __m256i s3 = _mm256_shuffle_epi8(part_words, q6_pair(2));
            const __m256i s4 = _mm256_shuffle_epi8(part_words, q6_pair(3));
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

/// Rows [r0, r1) of one weight type against every column, four columns per unpacked block: the row
/// loop lives here, inside each type's specialization, so nothing is dispatched per row.
CQ_INLINE void rows_of_type(
    const int type, const uint8_t *w, size_t row_bytes, int r0, int r1, int n, const uint8_t *xq, size_t xq_stride,
    int ncols, float *y, size_t ldy) {
    for (int r = r0; r < r1; r++) {
        const uint8_t *row = w + (size_t)r * row_bytes;
        for (int c0 = 0; c0 < ncols; c0 += 4) {
            const int nc = ncols - c0 < 4 ? ncols - c0 : 4;
            const void *x[4];
            float out[4];
            for (int c = 0; c < nc; c++) x[c] = xq + (size_t)(c0 + c) * xq_stride;
            switch (nc) {
            case 1: dot_columns(type, row, x, n, 1, out); break;
            case 2: dot_columns(type, row, x, n, 2, out); break;
            case 3: dot_columns(type, row, x, n, 3, out); break;
            default: dot_columns(type, row, x, n, 4, out); break;
            }
            for (int c = 0; c < nc; c++) y[(size_t)(c0 + c) * ldy + r] = out[c];
        }
    }
}

void CQ_ENTRY(
    int type, const uint8_t *w, size_t row_bytes, int r0, int r1, int n, const uint8_t *xq, size_t xq_stride, int ncols,
    float *y, size_t ldy) {
    switch (type) {
    case CQ_Q4_0: rows_of_type(CQ_Q4_0, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    case CQ_Q4_1: rows_of_type(CQ_Q4_1, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    case CQ_Q5_0: rows_of_type(CQ_Q5_0, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    case CQ_Q5_1: rows_of_type(CQ_Q5_1, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    case CQ_Q8_0: rows_of_type(CQ_Q8_0, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    case CQ_Q4_K: rows_of_type(CQ_Q4_K, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    case CQ_Q5_K: rows_of_type(CQ_Q5_K, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    case CQ_Q6_K: rows_of_type(CQ_Q6_K, w, row_bytes, r0, r1, n, xq, xq_stride, ncols, y, ldy); break;
    default: break;
    }
}
