/*
 * resources.h - files compiled into the binary: the RelaxNG schemas, the
 * built-in policy and (later) the built-in templates.  tools/embed.py
 * generates the table from the source tree at build time.
 */
#ifndef SIRCOMM_RESOURCES_H
#define SIRCOMM_RESOURCES_H

#include <stddef.h>

struct res_file {
	const char *name;  /* base name, e.g. "record.rng" */
	const char *data;  /* contents, followed by a NUL byte */
	size_t size;       /* bytes, without the NUL */
};

/* The table, ended by an entry whose name is NULL. */
extern const struct res_file res_files[];

/* Returns the resource named `name`, or NULL.  Borrowed, static. */
const struct res_file *res_find(const char *name);

#endif
