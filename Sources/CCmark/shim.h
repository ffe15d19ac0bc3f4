// libcmark (Debian: libcmark-dev, pkg-config: libcmark). Nothing needs a C helper yet:
// every function RefkitMarkdown calls is plain C that Swift imports directly.
#include <cmark.h>
