// pango + cairo (Debian: libpango1.0-dev libcairo2-dev, pkg-config: pangocairo).
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
