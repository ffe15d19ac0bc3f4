// libqrencode (Debian: libqrencode-dev, pkg-config: libqrencode).
#include <qrencode.h>
