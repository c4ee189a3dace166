/* Wine-only stand-in for Windows' system icuuc.dll (Windows 10 1903+ ships the real one).
 *
 * Qt6Core imports the ICU converter API (ucnv_*) from icuuc.dll; Wine 8 has none, so
 * Qt6Core.dll fails to load. This stub reports every converter as unavailable, which makes
 * Qt fall back to its own codecs. Built with x86_64-w64-mingw32-gcc by .ci/winlane-env.sh
 * and copied into the test prefix's system32 only: never shipped to users.
 */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)
typedef int UErrorCode;
typedef uint16_t UChar;
#define U_FILE_ACCESS_ERROR 4
#define U_UNSUPPORTED_ERROR 16

static void fail(UErrorCode *err, int code) { if (err && *err <= 0) *err = code; }

EXPORT void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err, U_FILE_ACCESS_ERROR); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err, U_UNSUPPORTED_ERROR); return NULL; }
EXPORT void ucnv_getToUCallBack(const void *cnv, void **action, const void **ctx) { (void)cnv; if (action) *action = NULL; if (ctx) *ctx = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *cnv, void **action, const void **ctx) { (void)cnv; if (action) *action = NULL; if (ctx) *ctx = NULL; }
EXPORT void ucnv_setToUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, UErrorCode *err) { (void)cnv; (void)a; (void)c; if (oa) *oa = NULL; if (oc) *oc = NULL; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_setFromUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, UErrorCode *err) { (void)cnv; (void)a; (void)c; if (oa) *oa = NULL; if (oc) *oc = NULL; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *src, int32_t len, int32_t off, UErrorCode *err) { (void)args; (void)src; (void)len; (void)off; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **src, const UChar *lim, int32_t off, UErrorCode *err) { (void)args; (void)src; (void)lim; (void)off; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_toUnicode(void *cnv, UChar **t, const UChar *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *err) { (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_fromUnicode(void *cnv, char **t, const char *tl, const UChar **s, const UChar *sl, int32_t *o, int8_t f, UErrorCode *err) { (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; (void)err; return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; (void)err; return 0; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *std, UErrorCode *err) { (void)name; (void)std; fail(err, U_UNSUPPORTED_ERROR); return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const UChar *cu, int32_t l, int32_t cp, int r, UErrorCode *err) { (void)c; (void)a; (void)cu; (void)l; (void)cp; (void)r; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *cb, int32_t l, int r, UErrorCode *err) { (void)c; (void)a; (void)cb; (void)l; (void)r; fail(err, U_UNSUPPORTED_ERROR); }
