// librsvg (Debian: librsvg2-dev, pkg-config: librsvg-2.0): SVG drawn onto a cairo context as
// vectors. Only RefkitPrint's SVGImage imports it.
#include <librsvg/rsvg.h>
