/*
 * asan.h - whether the build runs under AddressSanitizer (gcc says so
 * with __SANITIZE_ADDRESS__, clang with __has_feature), and, when it
 * does, marking memory a pool still holds but has given back:
 *
 *     SC_POISON(block, n);     // a use of it is reported
 *     SC_UNPOISON(block, n);   // before the pool frees or reuses it
 *
 * Both do nothing in other builds.
 */
#ifndef SIRCOMM_ASAN_H
#define SIRCOMM_ASAN_H

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SC_ASAN)
#define SC_ASAN 1
#endif

#ifdef SC_ASAN
#include <sanitizer/asan_interface.h>
#define SC_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define SC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define SC_POISON(p, n) ((void)(p), (void)(n))
#define SC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#endif
