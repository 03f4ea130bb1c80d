// Debian's libopenblas-dev puts cblas.h under an alternatives-managed include directory;
// the umbrella header below is found through pkg-config (openblas.pc) or the default path.
#include <cblas.h>
