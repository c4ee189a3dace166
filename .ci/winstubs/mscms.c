/* Wine-only stand-in for the colour-management calls Qt 6.12's qwindows plugin imports.
 *
 * Wine 8's mscms.dll lacks WcsCreateIccProfile, so the platform plugin fails to load.
 * Every call here answers "no colour profile". Loaded instead of Wine's builtin with
 * WINEDLLOVERRIDES="mscms=n,b" (set by .ci/winpy); test prefixes only, never shipped.
 */
#include <windows.h>

#define EXPORT __declspec(dllexport)

EXPORT HANDLE WINAPI OpenColorProfileW(void *profile, DWORD access, DWORD share, DWORD creation)
{ (void)profile; (void)access; (void)share; (void)creation; SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
EXPORT BOOL WINAPI CloseColorProfile(HANDLE profile) { (void)profile; return TRUE; }
EXPORT BOOL WINAPI GetColorProfileFromHandle(HANDLE profile, BYTE *buffer, DWORD *size)
{ (void)profile; (void)buffer; if (size) *size = 0; SetLastError(ERROR_NOT_SUPPORTED); return FALSE; }
EXPORT HANDLE WINAPI WcsCreateIccProfile(HANDLE profile, DWORD intent)
{ (void)profile; (void)intent; SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
