/* ThreadSanitizer <- oneTBB bridge, linked into every executable of a TSan build (see
 * COHORTSIM_SANITIZE in the top-level CMakeLists.txt).
 *
 * Debian's libtbb.so is not built with TSan, so TSan cannot see the scheduler hand a task to the
 * thread that runs it, nor the end of a parallel_for: every access to data that the spawning
 * thread wrote before a parallel_for, or reads after it, would be reported as a race. oneTBB
 * reports exactly these events to profiling tools through the ITT API (Intel's Inspector uses
 * them to tell TBB's synchronisation from races): with TBB_USE_PROFILING_TOOLS=2 its headers say
 * "releasing" for a task when spawning it and for a wait_context when a task finishes, and
 * "acquired" for the wait_context when the wait is over; libtbb says "acquired" for each task it
 * is about to run. This library is that tool: libtbb loads it as its ITT collector (the
 * constructor below points INTEL_LIBITTNOTIFY64 at this very file) and each notification becomes
 * the matching TSan annotation on the same address. */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

/* From TSan's runtime, which clang links into (and exports from) the executable. */
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);

/* ITT collector protocol: libittnotify (inside libtbb) looks these up with dlsym. Having
 * __itt_api_version makes it fill in every function of the groups in INTEL_ITTNOTIFY_GROUPS. */
const char* __itt_api_version(void) {
    return "cohortsim TSan bridge";
}
void __itt_sync_releasing(void* addr) {
    __tsan_release(addr);
}
void __itt_sync_acquired(void* addr) {
    __tsan_acquire(addr);
}
/* Notifications that carry no ordering: accepted and ignored. */
void __itt_sync_prepare(void* addr) {
    (void)addr;
}
void __itt_sync_cancel(void* addr) {
    (void)addr;
}
void __itt_sync_destroy(void* addr) {
    (void)addr;
}
void __itt_sync_create(void* addr, const char* type, const char* name, int attributes) {
    (void)addr, (void)type, (void)name, (void)attributes;
}
void __itt_sync_rename(void* addr, const char* name) {
    (void)addr, (void)name;
}

/* Runs before main, hence before TBB's scheduler starts and reads these variables. A value set
 * by the user (another collector, say) is kept. */
__attribute__((constructor)) static void point_tbb_at_this_library(void) {
    Dl_info self;
    if (dladdr((void*)&point_tbb_at_this_library, &self) != 0 && self.dli_fname != NULL) {
        setenv("INTEL_LIBITTNOTIFY64", self.dli_fname, 0);
        setenv("INTEL_ITTNOTIFY_GROUPS", "sync", 0);
    }
}
