/*
 * tval.h - the values a template renders: a tree of nulls, booleans,
 * strings, lists and maps, owned by an arena (format/tmpl.h renders it).
 *
 *     struct arena a = ARENA_INIT;
 *     struct tval *ctx = tval_map(&a);
 *     tval_set_str(ctx, "title", rec->title);
 *     struct tval *steps = tval_list(&a);
 *     tval_push(steps, tval_str(&a, "Rotate the keys"));
 *     tval_set(ctx, "steps", steps);
 *     const char *title = tval_string(tval_get(ctx, "title"));
 *     arena_free(&a);                      // frees every value at once
 *
 * Maps keep their keys in first-insertion order (templates and `sircomm
 * templates vars` show them so); large maps are indexed by a hash, so a
 * lookup stays cheap however many keys a record's context holds.
 */
#ifndef SIRCOMM_TVAL_H
#define SIRCOMM_TVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

enum tval_kind { TVAL_NULL, TVAL_BOOL, TVAL_STRING, TVAL_LIST, TVAL_MAP };

struct tval;

/* Constructors; the value lives in the arena.  Strings are copied.  A
 * NULL value given to tval_push or tval_set stands for null.  Nulls and
 * booleans are shared constants: no value is ever changed in place but
 * a list or a map. */
struct tval *tval_null(struct arena *a);
struct tval *tval_bool(struct arena *a, bool b);
struct tval *tval_str(struct arena *a, const char *s);     /* NULL gives null */
struct tval *tval_strn(struct arena *a, const char *s, size_t n);
struct tval *tval_int(struct arena *a, long long n);       /* as its decimal string */
/* A string borrowed, not copied: s must stay as it is for as long as the
 * value is used (a string literal, the arena's own, or a record's or a
 * policy's that outlives the arena).  NULL gives null. */
struct tval *tval_ref(struct arena *a, const char *s);
struct tval *tval_list(struct arena *a);
struct tval *tval_map(struct arena *a);

/* Appends to a list; returns the list (unchanged if it is not a list). */
struct tval *tval_push(struct tval *list, struct tval *v);
/* Sets a key of a map (replacing an earlier value in its place, so keys
 * keep their first insertion order); returns the map (unchanged if it is
 * not a map).  The key is copied into the map's arena. */
struct tval *tval_set(struct tval *map, const char *key, struct tval *v);
/* Shorthands for tval_set(map, key, tval_str/tval_strn/tval_bool/tval_int(...)),
 * the value in the map's arena. */
struct tval *tval_set_str(struct tval *map, const char *key, const char *s);
struct tval *tval_set_strn(struct tval *map, const char *key, const char *s, size_t n);
struct tval *tval_set_bool(struct tval *map, const char *key, bool b);
struct tval *tval_set_int(struct tval *map, const char *key, long long n);
/* The same with the key borrowed, not copied, and for tval_put_str the
 * string too (as tval_ref borrows it): for contexts built from string
 * literals and from a record and a policy that outlive them, where the
 * copies were most of the cost of a value. */
struct tval *tval_put(struct tval *map, const char *key, struct tval *v);
struct tval *tval_put_str(struct tval *map, const char *key, const char *s);
struct tval *tval_put_bool(struct tval *map, const char *key, bool b);
struct tval *tval_put_int(struct tval *map, const char *key, long long n);

/* ---- Keys hashed once ------------------------------------------------ */

/* A key and its hash, for a program that sets the same few keys in
 * thousands of maps (a draft's context does, a record at a time):
 * tval_key_init measures and hashes s once (s is borrowed, and must
 * outlive every map the key is set in), and tval_put_key sets it as
 * tval_put would, without hashing it again. */
struct tval_key {
	const char *s;
	size_t len;
	size_t hash;
};

void tval_key_init(struct tval_key *k, const char *s);
struct tval *tval_put_key(struct tval *map, const struct tval_key *k, struct tval *v);

/* Inspection, for tests and `templates vars`. */
enum tval_kind tval_kind(const struct tval *v);
const char *tval_string(const struct tval *v);        /* NULL unless a string */
bool tval_truthy(const struct tval *v);
size_t tval_len(const struct tval *v);                 /* list items or map keys */
const struct tval *tval_at(const struct tval *list, size_t i);
const char *tval_key(const struct tval *map, size_t i); /* keys in insertion order */
/* NULL when the key is absent (a null value is a TVAL_NULL value). */
const struct tval *tval_get(const struct tval *map, const char *key);
/* tval_get with a key measured and hashed once (tval_key_init), for a
 * program that reads the same few keys of many maps. */
const struct tval *tval_get_key(const struct tval *map, const struct tval_key *k);

#endif
