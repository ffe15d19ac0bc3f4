// libqrencode (Debian: libqrencode-dev, pkg-config: libqrencode).
#include <qrencode.h>

// Two functions Debian's libqrencode 4.1.1 exports (`nm -D libqrencode.so.4` lists them) but
// qrencode.h does not declare: they are STATIC_IN_RELEASE in the upstream source, and Debian's
// build does not define that as `static`. Declared here so that a QR code can be encoded with
// a known mask: choosing the mask (scoring all eight) is about 90 % of an encode, 111-134 us
// against 8-12 us with the mask given. They can go when qrencode.h declares them, or when
// refkit leaves libqrencode; RefkitQR's tests fail if they stop matching the automatic encode.
//
// QRcode_encodeString(string, version, level, hint, casesensitive) is, in qrencode.c:
//     input = QRinput_new2(version, level);
//     Split_splitStringToQRinput(string, input, hint, casesensitive);
//     code = QRcode_encodeMask(input, -1);   /* via QRcode_encodeInput: -1 scores all eight */
// Note the split: with hint QR_MODE_8 the string is still cut into numeric, alphanumeric and
// 8-bit segments (split.c), so QRinput_append(input, QR_MODE_8, ...) of the whole string is a
// different symbol. RefkitQR makes the input exactly as above and passes its own mask.

/// split.c: cuts `string` into mode segments and appends them to `input`; 0 or -1 (errno).
extern int Split_splitStringToQRinput(const char *string, QRinput *input, QRencodeMode hint, int casesensitive);

/// qrencode.c: encodes `input` with mask pattern `mask` (0-7), or the best of all eight when
/// `mask` is -1. The caller frees the result with QRcode_free; NULL with errno on failure.
extern QRcode *QRcode_encodeMask(QRinput *input, int mask);
