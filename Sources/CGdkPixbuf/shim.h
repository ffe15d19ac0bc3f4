// gdk-pixbuf (Debian: libgdk-pixbuf-2.0-dev, which librsvg2-dev pulls in; pkg-config:
// gdk-pixbuf-2.0): decodes the PNG and JPEG images on postcards. Only RefkitPrint's
// RasterImage imports it.
#include <gdk-pixbuf/gdk-pixbuf.h>

// g_signal_connect is a macro; Swift cannot call it. Connects `handler` (a C function) to
// the loader's "size-prepared" signal. Can go if Swift ever imports function-like macros.
static inline unsigned long cgdkpixbuf_connect_size_prepared(GdkPixbufLoader *loader,
        void (*handler)(GdkPixbufLoader *, int, int, void *), void *context) {
    return g_signal_connect_data(loader, "size-prepared", G_CALLBACK(handler), context, NULL, 0);
}
