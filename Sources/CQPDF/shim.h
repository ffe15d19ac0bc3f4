// libqpdf's C API (Debian: libqpdf-dev, pkg-config: libqpdf), used to add TrimBox and
// BleedBox after cairo 1.16 wrote the PDF (cairo has no API for page boxes).
#include <qpdf/qpdf-c.h>
