#ifndef CLARIFYCODER_CZLIB_SHIM_H
#define CLARIFYCODER_CZLIB_SHIM_H
#include <zlib.h>

// `inflateInit2` is a macro, which Swift cannot call. windowBits 15 + 32 makes zlib detect a
// gzip or zlib header by itself (zlib.h, "inflateInit2").
static inline int clarifycoder_inflate_init_auto(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
#endif
