/*
 * sample.h - realistic generated incident records, for benchmarks, load
 * tests and fuzzing seeds.
 *
 * Each record simulates an incident run through the policy's process:
 * every severity and fact, engagements (some late), drafts, an announced
 * cutoff, review and final rounds with approvers who answer, answer late
 * or stay silent (back-ups engaged, deployment at the cutoff with the
 * quorum), deployments, awareness posts, updates at the cadence (some
 * missed), resolution, exceptions for missed turnarounds (some expired
 * or retroactive), times in several UTC offsets, 20 to 200 events.  The
 * same seed and index give the same bytes.
 *
 *     struct buf xml = BUF_INIT;
 *     sample_record(pol, 42, 7, &xml);    // record 7 of seed 42
 */
#ifndef SIRCOMM_SAMPLE_H
#define SIRCOMM_SAMPLE_H

#include <stdint.h>

#include "model/policy.h"
#include "base/util.h"

/* Appends record number `index` of `seed`, valid against the policy.
 * Its id is "GEN-<seed>-<index>"; its times fall in 2026. */
void sample_record(const struct policy *pol, uint64_t seed, uint64_t index, struct buf *out);

#endif
