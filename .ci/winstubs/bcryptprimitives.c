/* Wine-only stand-in for bcryptprimitives.dll's ProcessPrng (Windows 10 and 11 have it).
 *
 * Rust's standard library (1.78+) takes its random seeds from ProcessPrng, so rtoml's
 * compiled module imports it; Wine 8 has no bcryptprimitives.dll and the module fails to
 * load. This fills the buffer from RtlGenRandom (advapi32's SystemFunction036, which Wine
 * has). Built with x86_64-w64-mingw32-gcc by .ci/winlane-env.sh and copied into the test
 * prefix's system32 only: never shipped to users.
 */
#include <windows.h>

#define EXPORT __declspec(dllexport)

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

EXPORT BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
