#include "crefkit_build_info.h"

// Defined only by the object `make dist` links in; Swift cannot declare a weak symbol.
extern const char crefkit_commit_text[] __attribute__((weak));

const char *crefkit_build_commit(void) {
    return crefkit_commit_text;
}
