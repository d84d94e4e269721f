/*
 * audit_svg.c - the timeline of the audit's HTML page: one inline SVG
 * with a lane for the incident, one for the communications and one per
 * group involved, the request-to-answer bars of the audit's pairs, the
 * cutoff, the turnaround deadline, T0 and the audit time, and a mark for
 * every failed or excepted finding, linked to its row of the page.
 *
 * The chart is linear in the record: one pass over the events for the
 * lanes, one to draw; the bars are the audit's own pairs (struct
 * audit_pair), not paired again here.  Markers that would land on top of
 * the previous one of their kind are merged, and lanes, bars and markers
 * are capped.  Every text from the record or the policy goes through
 * esc_html(), so the SVG is well-formed XML on its own; status is drawn
 * with a shape as well as a colour.
 */
#include "audit_svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/esc.h"
#include "format/svg.h"
#include "model/timeline.h"

/* ---- Text ----------------------------------------------------------- */

/* See audit_svg.h. */
void audit_svg_time_words(int64_t t, char out[TS_BUFSZ])
{
	char s[TS_BUFSZ];
	ts_format_utc(t, s);                         /* 2026-03-04T09:12:00Z */
	memcpy(out, s, 10);
	out[10] = ' ';
	memcpy(out + 11, s + 11, 5);
	size_t n = 16;
	if (strncmp(s + 16, ":00", 3) != 0) {
		memcpy(out + n, s + 16, 3);
		n += 3;
	}
	out[n++] = 'Z';
	out[n] = '\0';
}

/* "09:12Z" (with seconds when not zero): a time on the day of the chart. */
static void clock_words(int64_t t, char out[TS_BUFSZ])
{
	char s[TS_BUFSZ];
	audit_svg_time_words(t, s);
	snprintf(out, TS_BUFSZ, "%s", s + 11);
}

/* ---- Shapes --------------------------------------------------------- */

/* The timeline's shapes, each with its class first (svg.h writes them). */
static void draw_line(struct buf *o, const char *cls, double x1, double y1, double x2, double y2)
{
	svg_el(o, "line", "class x1 x2 y1 y2", cls, (const double[]){ x1, x2, y1, y2 }, "/>");
}

static void draw_rect(struct buf *o, const char *cls, double x, double y, double w, double h)
{
	svg_el(o, "rect", "class x y width height", cls, (const double[]){ x, y, w, h }, "/>");
}

static void draw_dot(struct buf *o, const char *cls, double x, double y, double r)
{
	svg_el(o, "circle", "class cx cy r", cls, (const double[]){ x, y, r }, "/>");
}

/* A polygon or polyline through n points given as offsets from (x, y). */
static void poly(struct buf *o, const char *el, const char *cls, double x, double y,
		 const double *pts, size_t n)
{
	buf_printf(o, "<%s class=\"%s\" points=\"", el, cls);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(o, ' ');
		svg_num(o, x + pts[2 * i]);
		buf_putc(o, ',');
		svg_num(o, y + pts[2 * i + 1]);
	}
	buf_puts(o, "\"/>");
}

/* A circled letter centred on (x, y): the incident's milestones. */
static void letter_badge(struct buf *o, double x, double y, const char *letter, bool filled)
{
	svg_el(o, "circle", "cx cy r class", filled ? "bdg-f" : "bdg", (const double[]){ x, y, 6.5 }, "/>");
	svg_text(o, x, y + 3, filled ? "bdgt-f" : "bdgt", NULL);
	buf_printf(o, "%s</text>", letter);
}

/* ---- Layout --------------------------------------------------------- */

#define SVG_W 960.0
#define PLOT_X0 196.0           /* left edge of the plot; lane labels before it */
#define PLOT_X1 940.0
#define LANE_H 30.0
#define LABEL_ROW_H 14.0        /* a row of line labels above the axis */
#define MAX_GROUP_LANES 20      /* more groups share one "Other groups" lane */
#define MAX_BARS 8              /* distinct requests drawn per lane and round */
#define MAX_MARKERS 4000
#define MAX_FAIL_MARKS 400
#define LABEL_CHARS 28          /* characters per line of a lane label (two lines) */

/* The marker shapes, each meaning one thing in the legend. */
enum mark {
	MK_DETECTED, MK_SEVERITY, MK_IMPACT, MK_RESOLVED, MK_NOTE,
	MK_STARTED, MK_DRAFT, MK_CUTOFF, MK_REQ_REVIEW, MK_REQ_FINAL, MK_DEPLOYED, MK_POSTED,
	MK_ENGAGED, MK_UPDATE, MK_FEEDBACK, MK_APPROVED, MK_BACKUP,
	MK_FAIL, MK_EXCEPTED, MK_COUNT
};

enum lane_kind { LANE_INCIDENT, LANE_COMMS, LANE_GROUP, LANE_OTHER };

struct lane {
	enum lane_kind kind;
	int group;              /* LANE_GROUP: the policy group */
	double y;               /* top */
	double last_x[MK_COUNT];  /* of the last marker drawn, per kind */
	double fail_x[8];       /* failure marks drawn, to skip exact repeats */
	size_t n_fail_x;
};

/* One request-to-answer bar: a request of a round to one group, and what
 * came of it, for the artifacts it covers. */
struct bar {
	const struct rec_event *req, *ans, *bak;
	struct buf arts;
};

/* The chart being laid out and drawn. */
struct chart {
	const struct audit *au;
	const struct record *rec;
	const struct policy *pol;
	int64_t h;              /* the horizon: later events are not drawn */
	size_t n_seen;          /* events at or before it */
	int64_t start, end;     /* the time axis */
	struct lane *lanes;
	size_t n_lanes;
	int *lane_of_group;     /* policy group -> lane index, or -1 */
	size_t n_bar_lanes;     /* group lanes with bars: the first ones */
	size_t incident, comms, other;  /* lane indexes; other is (size_t)-1 if none */
	size_t markers, merged, capped, fail_marks;
	bool has_cutoff;
	int64_t cutoff;
	bool has_deadline;
	int64_t deadline;
	/* What was drawn, for the legend. */
	bool drawn[MK_COUNT];
	bool bar_drawn[3];      /* review, final, unanswered */
	bool win_drawn;
	bool line_drawn[4];     /* cutoff, deadline, T0, as of */
};

/* The x of a time, kept inside the plot. */
static double x_of(const struct chart *t, int64_t at)
{
	double span = (double)(t->end - t->start);
	double x = PLOT_X0 + (double)(at - t->start) / span * (PLOT_X1 - PLOT_X0);
	return x < PLOT_X0 ? PLOT_X0 : x > PLOT_X1 ? PLOT_X1 : x;
}

/* True when the time is on the axis. */
static bool in_range(const struct chart *t, int64_t at)
{
	return at >= t->start && at <= t->end;
}

/* The lane of a group's events: its own, the shared one, or none. */
static size_t lane_for_group(const struct chart *t, int g)
{
	if (g < 0 || (size_t)g >= t->pol->n_groups || t->lane_of_group[g] < 0)
		return (size_t)-1;
	return (size_t)t->lane_of_group[g];
}

/* Event types drawn on their group's lane. */
static bool is_group_event(enum rec_event_type type)
{
	return type == REC_EV_ENGAGED || type == REC_EV_UPDATE || type == REC_EV_FEEDBACK ||
	       type == REC_EV_APPROVED || type == REC_EV_BACKUP_ENGAGED || type == REC_EV_INFORMED;
}

/* Decides which groups get a lane: those with events of their own, with a
 * request to answer (a pair of the audit), or with a failed or excepted finding; in policy
 * order, the first MAX_GROUP_LANES on their own lanes. */
static void chart_lanes(struct chart *t)
{
	const struct policy *pol = t->pol;
	const struct record *rec = t->rec;
	bool *used = xcalloc(pol->n_groups + 1, sizeof(*used));
	bool incident = false;
	for (size_t i = 0; i < t->n_seen; i++) {
		const struct rec_event *ev = &rec->events[i];
		if (ev->type == REC_EV_DETECTED || ev->type == REC_EV_SEVERITY_DETERMINED ||
		    ev->type == REC_EV_IMPACT_DETERMINED || ev->type == REC_EV_RESOLVED ||
		    ev->type == REC_EV_NOTE || rec_event_is_legal(ev->type))
			incident = true;
		if (ev->group >= 0 && (size_t)ev->group < pol->n_groups && is_group_event(ev->type))
			used[ev->group] = true;
	}
	for (size_t i = 0; i < t->au->n_pairs; i++)
		used[t->au->pairs[i].group] = true;
	for (size_t i = 0; i < t->au->n_findings; i++) {
		const struct audit_finding *f = &t->au->findings[i];
		if (f->status != AUDIT_FAIL && f->status != AUDIT_EXCEPTED)
			continue;
		if (f->group >= 0)
			used[f->group] = true;
	}

	size_t n_used = 0;
	for (size_t g = 0; g < pol->n_groups; g++)
		n_used += used[g];
	size_t own = n_used > MAX_GROUP_LANES ? MAX_GROUP_LANES - 1 : n_used;
	t->lanes = xcalloc(2 + own + 1, sizeof(*t->lanes));
	t->lane_of_group = xmalloc((pol->n_groups + 1) * sizeof(*t->lane_of_group));
	t->incident = t->other = (size_t)-1;
	if (incident) {
		t->incident = t->n_lanes;
		t->lanes[t->n_lanes++].kind = LANE_INCIDENT;
	}
	t->comms = t->n_lanes;
	t->lanes[t->n_lanes++].kind = LANE_COMMS;
	size_t first_group = t->n_lanes;
	for (size_t g = 0; g < pol->n_groups; g++) {
		t->lane_of_group[g] = -1;
		if (!used[g])
			continue;
		if (t->n_lanes - first_group < own) {
			t->lane_of_group[g] = (int)t->n_lanes;
			t->lanes[t->n_lanes].kind = LANE_GROUP;
			t->lanes[t->n_lanes++].group = (int)g;
		} else {
			if (t->other == (size_t)-1) {
				t->other = t->n_lanes;
				t->lanes[t->n_lanes++].kind = LANE_OTHER;
			}
			t->lane_of_group[g] = (int)t->other;
		}
	}
	t->n_bar_lanes = own;
	for (size_t l = 0; l < t->n_lanes; l++) {
		for (int k = 0; k < MK_COUNT; k++)
			t->lanes[l].last_x[k] = -1e9;
	}
	free(used);
}

/* a / b rounded towards minus infinity (b > 0). */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The time axis: from the first event drawn (or T0) to the last one or
 * the horizon, stretched to take in the cutoff and the turnaround
 * deadline when they are not far beyond; padded a little. */
static void chart_range(struct chart *t)
{
	const struct audit *au = t->au;
	const struct record *rec = t->rec;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	if (t->n_seen) {
		lo = rec->events[0].at;
		hi = rec->events[t->n_seen - 1].at;
	}
	if (au->has_t0) {
		lo = au->t0 < lo ? au->t0 : lo;
		hi = au->t0 > hi ? au->t0 : hi;
	}
	if (lo > hi) {
		lo = t->h - 3600;
		hi = t->h;
	}
	int64_t span = hi - lo;
	int64_t limit = hi + (span > 6 * 3600 ? span : 6 * 3600);
	int64_t extra[3] = { t->h, t->has_cutoff ? t->cutoff : hi, t->has_deadline ? t->deadline : hi };
	for (int i = 0; i < 3; i++) {
		if (extra[i] > hi && extra[i] <= limit)
			hi = extra[i];
		if (extra[i] < lo && extra[i] >= lo - (span > 3600 ? span : 3600))
			lo = extra[i];
	}
	if (hi - lo < 1800) {
		int64_t mid = lo + (hi - lo) / 2;
		lo = mid - 900;
		hi = mid + 900;
	}
	int64_t pad = (hi - lo) / 40 + 60;
	int64_t unit = hi - lo < 2 * 86400 ? 300 : hi - lo < 20 * 86400 ? 3600 : 86400;
	t->start = floor_div(lo - pad, unit) * unit;
	t->end = (floor_div(hi + pad, unit) + 1) * unit;
}

/* ---- Drawing -------------------------------------------------------- */

/* Draws a marker centred on (x, y); the caller wraps it in a <g> that
 * carries its <title>. */
static void mark(struct buf *o, enum mark m, double x, double y)
{
	static const double tri_r[] = { -4, -5.5, 5.5, 0, -4, 5.5 };
	static const double tri_up[] = { 0, -6, 6, 5, -6, 5 };
	static const double tri_down[] = { -5.5, -5, 5.5, -5, 0, 5 };
	static const double diamond[] = { 0, -5.5, 5.5, 0, 0, 5.5, -5.5, 0 };
	static const double check[] = { -5, 0, -1.5, 4, 5.5, -5 };
	switch (m) {
	case MK_DETECTED: letter_badge(o, x, y, "D", false); break;
	case MK_SEVERITY: letter_badge(o, x, y, "S", false); break;
	case MK_IMPACT: letter_badge(o, x, y, "I", false); break;
	case MK_RESOLVED: letter_badge(o, x, y, "R", true); break;
	case MK_STARTED: letter_badge(o, x, y, "C", true); break;
	case MK_NOTE:
		draw_dot(o, "m-note", x, y, 2.5);
		break;
	case MK_DRAFT:
	case MK_DEPLOYED:
		draw_rect(o, m == MK_DRAFT ? "m-draft" : "m-deployed", x - 4.5, y - 4.5, 9, 9);
		break;
	case MK_CUTOFF: poly(o, "polygon", "m-cutoff", x, y, tri_down, 3); break;
	case MK_REQ_REVIEW: poly(o, "polygon", "m-req", x, y, tri_r, 3); break;
	case MK_REQ_FINAL: poly(o, "polygon", "m-req-f", x, y, tri_r, 3); break;
	case MK_POSTED:
		draw_dot(o, "m-posted", x, y, 3);
		break;
	case MK_ENGAGED:
		draw_dot(o, "m-engaged", x, y, 4.5);
		break;
	case MK_UPDATE:
		draw_line(o, "m-update", x, y - 5, x, y + 5);
		break;
	case MK_FEEDBACK: poly(o, "polygon", "m-feedback", x, y, diamond, 4); break;
	case MK_APPROVED: poly(o, "polyline", "m-approved", x, y, check, 3); break;
	case MK_BACKUP: poly(o, "polygon", "m-backup", x, y, tri_up, 3); break;
	case MK_FAIL:
	case MK_EXCEPTED: {
		const char *cls = m == MK_FAIL ? "m-fail" : "m-exc";
		const char *cls_h = m == MK_FAIL ? "m-fail-h" : "m-exc-h";
		if (m == MK_EXCEPTED)
			draw_dot(o, "m-exc-c", x, y, 8);
		double d = m == MK_FAIL ? 6 : 4.5;
		for (int halo = 1; halo >= 0; halo--) {
			for (int k = 0; k < 2; k++) {
				draw_line(o, halo ? cls_h : cls, x - d, k ? y + d : y - d, x + d, k ? y - d : y + d);
			}
		}
		break;
	}
	case MK_COUNT:
		break;
	}
}

/* The marker and its tooltip for one event. */
static enum mark event_mark(const struct rec_event *ev)
{
	switch (ev->type) {
	case REC_EV_DETECTED: return MK_DETECTED;
	case REC_EV_SEVERITY_DETERMINED: return MK_SEVERITY;
	case REC_EV_IMPACT_DETERMINED: return MK_IMPACT;
	case REC_EV_RESOLVED: return MK_RESOLVED;
	case REC_EV_COMMS_STARTED: return MK_STARTED;
	case REC_EV_DRAFT_READY: return MK_DRAFT;
	case REC_EV_CUTOFF_ANNOUNCED: return MK_CUTOFF;
	case REC_EV_REVIEW_REQUESTED: return ev->round == REC_ROUND_FINAL ? MK_REQ_FINAL : MK_REQ_REVIEW;
	case REC_EV_DEPLOYED: return MK_DEPLOYED;
	case REC_EV_POSTED: return MK_POSTED;
	case REC_EV_ENGAGED: return MK_ENGAGED;
	case REC_EV_UPDATE: return MK_UPDATE;
	case REC_EV_FEEDBACK: return MK_FEEDBACK;
	case REC_EV_APPROVED: return MK_APPROVED;
	case REC_EV_BACKUP_ENGAGED: return MK_BACKUP;
	case REC_EV_INFORMED: return MK_UPDATE;
	case REC_EV_NOTE: case REC_EV_COUNT: break;
	case REC_EV_AWARE: case REC_EV_MATERIAL: case REC_EV_CLASSIFIED_MAJOR: case REC_EV_PAYMENT:
	case REC_EV_NOTIFIED: break;
	}
	return MK_NOTE;
}

/* The tooltip of an event's marker: time, type, round, group,
 * artifacts, cutoff, channel, who, text (cut) and the line. */
static void event_title(const struct chart *t, const struct rec_event *ev, struct buf *o)
{
	char c[TS_BUFSZ];
	clock_words(ev->at, c);
	buf_printf(o, "<title>%s %s", c, rec_event_type_name(ev->type));
	if (ev->round != REC_ROUND_NONE)
		buf_printf(o, " (%s round)", rec_round_name(ev->round));
	if (ev->group >= 0 && (size_t)ev->group < t->pol->n_groups) {
		buf_puts(o, ": ");
		esc_html(o, t->pol->groups[ev->group].title);
	}
	if (ev->n_artifacts) {
		buf_puts(o, " [");
		for (size_t k = 0; k < ev->n_artifacts && k < 12; k++) {
			int a = ev->artifacts[k];
			if (a >= 0 && (size_t)a < t->pol->n_artifacts) {
				if (k)
					buf_putc(o, ' ');
				esc_html(o, t->pol->artifacts[a].id);
			}
		}
		buf_puts(o, ev->n_artifacts > 12 ? " \xE2\x80\xA6]" : "]");
	}
	if (ev->has_cutoff) {
		char cw[TS_BUFSZ];
		audit_svg_time_words(ev->cutoff, cw);
		buf_printf(o, " cutoff %s", cw);
	}
	if (ev->channel) {
		buf_puts(o, " on ");
		esc_html_n(o, ev->channel, 60);
	}
	if (ev->by) {
		buf_puts(o, ", by ");
		esc_html_n(o, ev->by, 60);
	}
	if (ev->text) {
		buf_puts(o, " \xE2\x80\x94 ");
		esc_html_n(o, ev->text, 140);
	}
	buf_printf(o, " (line %ld)</title>", ev->line);
}

/* Horizontal positions of the ticks: a step from a fixed ladder that
 * gives at most about a dozen ticks, aligned to UTC. */
static int64_t tick_step(int64_t span)
{
	static const int64_t ladder[] = {
		60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
		86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400, 91 * 86400, 182 * 86400, 364 * 86400,
	};
	for (size_t i = 0; i < sizeof(ladder) / sizeof(ladder[0]); i++)
		if (span / ladder[i] <= 12)
			return ladder[i];
	return (span / 12 / 86400 + 1) * 86400;
}

/* Tick labels along the axis at baseline y; gridlines when `grid`. */
static void draw_ticks(const struct chart *t, struct buf *o, double y, double grid_y0, double grid_y1,
		       bool grid)
{
	int64_t step = tick_step(t->end - t->start);
	int64_t first = (floor_div(t->start, step) + 1) * step;
	int n = 0;
	for (int64_t at = first; at <= t->end && n < 64; at += step, n++) {
		double x = x_of(t, at);
		char s[TS_BUFSZ];
		ts_format_utc(at, s);
		if (grid) {
			draw_line(o, at % 86400 == 0 ? "grid-d" : "grid", x, grid_y0, x, grid_y1);
		}
		if (step < 86400 && at % 86400 != 0) {
			svg_text(o, x, y, "tick", "middle");
			buf_append(o, s + 11, 5);
		} else {
			svg_text(o, x, y, "tick tick-d", "middle");
			buf_append(o, step < 86400 ? s + 5 : s, step < 86400 ? 5 : 10);
		}
		buf_puts(o, "</text>");
	}
}

/* A vertical line across the lanes with its label in the header rows. */
struct vline {
	const char *cls;
	int64_t at;
	char label[96];
	int row;
	double lx;              /* label anchor */
	bool end_anchor;        /* label ends at lx */
	bool off_chart;         /* outside the axis: label only, at an edge */
};

/* A line at `at` labelled "name 09:12Z suffix"; off the axis, the label
 * alone at the edge it lies beyond, with the date and an arrow. */
static void vline_init(const struct chart *t, struct vline *v, const char *cls, int64_t at,
		       const char *name, const char *suffix)
{
	char w[TS_BUFSZ];
	*v = (struct vline){ .cls = cls, .at = at, .off_chart = !in_range(t, at) };
	if (!v->off_chart) {
		clock_words(at, w);
		snprintf(v->label, sizeof(v->label), "%s %s%s", name, w, suffix);
	} else {
		audit_svg_time_words(at, w);
		if (at > t->end)
			snprintf(v->label, sizeof(v->label), "%s %s \xE2\x86\x92", name, w);
		else
			snprintf(v->label, sizeof(v->label), "\xE2\x86\x90 %s %s", name, w);
	}
}

/* Puts each label on the first header row where it does not collide. */
static int place_labels(const struct chart *t, struct vline *v, size_t n)
{
	double right[3][8];
	size_t nr[3] = { 0, 0, 0 };
	double left_e[3][8];
	int rows = 0;
	for (size_t i = 0; i < n; i++) {
		double w = (double)strlen(v[i].label) * 5.6 + 8;
		double x = v[i].off_chart ? (v[i].at > t->end ? PLOT_X1 : PLOT_X0) : x_of(t, v[i].at);
		bool end = v[i].off_chart ? v[i].at > t->end : x + 4 + w > PLOT_X1 + 16;
		double l = end ? x - 4 - w : x + 4, r = end ? x - 4 : x + 4 + w;
		v[i].lx = end ? x - 4 : x + 4;
		v[i].end_anchor = end;
		int row = 2;
		for (int k = 0; k < 3; k++) {
			bool free_row = true;
			for (size_t j = 0; j < nr[k]; j++)
				if (l < right[k][j] && r > left_e[k][j])
					free_row = false;
			if (free_row) {
				row = k;
				break;
			}
		}
		if (nr[row] < 8) {
			left_e[row][nr[row]] = l;
			right[row][nr[row]++] = r;
		}
		v[i].row = row;
		rows = row + 1 > rows ? row + 1 : rows;
	}
	return rows;
}

/* Where to break a label too long for one line of `width` characters:
 * the byte offset of the last space that leaves at most `width` before
 * it (or of the width-th character when there is none); 0 when the
 * label fits on one line. */
static size_t label_break(const char *s, size_t width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, at_width = 0, space = 0;
	while (*p) {
		unsigned long c;
		if (chars == width)
			at_width = (size_t)(p - (const unsigned char *)s);
		if (*p == ' ' && chars <= width)
			space = (size_t)(p - (const unsigned char *)s);
		p += esc_utf8_next(p, &c);
		chars++;
	}
	if (chars <= width)
		return 0;
	return space ? space : at_width;
}

/* A lane's name left of the plot: a group's title on one or two lines,
 * cut beyond, with the whole title and id in the tooltip. */
static void lane_label(const struct chart *t, const struct lane *ln, struct buf *o)
{
	double y = ln->y + LANE_H / 2 + 4;
	switch (ln->kind) {
	case LANE_INCIDENT:
		svg_text(o, PLOT_X0 - 10, y, "lane lane-b", "end");
		buf_puts(o, "Incident</text>");
		break;
	case LANE_COMMS:
		svg_text(o, PLOT_X0 - 10, y, "lane lane-b", "end");
		buf_puts(o, "Communications</text>");
		break;
	case LANE_GROUP: {
		const struct pol_group *g = &t->pol->groups[ln->group];
		size_t cut = label_break(g->title, LABEL_CHARS);
		buf_puts(o, "<g><title>");
		esc_html(o, g->title);
		buf_puts(o, " (");
		esc_html(o, g->id);
		buf_puts(o, ")</title>");
		if (!cut) {
			svg_text(o, PLOT_X0 - 10, y, "lane", "end");
			esc_html(o, g->title);
		} else {
			char *first = xstrndup(g->title, cut);
			const char *rest = g->title + cut;
			while (*rest == ' ')
				rest++;
			svg_text(o, PLOT_X0 - 10, y - 6, "lane lane-2", "end");
			esc_html(o, first);
			buf_puts(o, "</text>");
			svg_text(o, PLOT_X0 - 10, y + 6, "lane lane-2", "end");
			esc_html_n(o, rest, LABEL_CHARS);
			free(first);
		}
		buf_puts(o, "</text></g>");
		break;
	}
	case LANE_OTHER: {
		size_t n = 0;
		for (size_t g = 0; g < t->pol->n_groups; g++)
			n += t->lane_of_group[g] == (int)t->other;
		svg_text(o, PLOT_X0 - 10, y, "lane", "end");
		buf_printf(o, "Other groups (%zu)</text>", n);
		break;
	}
	}
}

/* The request-to-answer bars of one group lane. */
static void draw_bars(struct chart *t, size_t b, struct buf *o)
{
	const struct policy *pol = t->pol;
	const struct lane *ln = &t->lanes[t->comms + 1 + b];
	const struct pol_target *tg = &pol->targets[t->rec->severity];
	for (int r = REC_ROUND_REVIEW; r <= REC_ROUND_FINAL; r++) {
		struct bar bars[MAX_BARS];
		size_t nb = 0;
		/* The audit's pairs of this group and round, in artifact order. */
		for (size_t i = 0; i < t->au->n_pairs; i++) {
			const struct audit_pair *p = &t->au->pairs[i];
			if (p->group != ln->group || p->round != (enum rec_round)r)
				continue;
			size_t k;
			for (k = 0; k < nb; k++)
				if (bars[k].req == p->request && bars[k].ans == p->answer &&
				    bars[k].bak == p->backup)
					break;
			if (k == nb) {
				if (nb == MAX_BARS)
					continue;
				bars[nb] = (struct bar){ p->request, p->answer, p->backup, BUF_INIT };
				nb++;
			}
			if (bars[k].arts.len)
				buf_putc(&bars[k].arts, ' ');
			if (bars[k].arts.len < 400)
				esc_html(&bars[k].arts, pol->artifacts[p->artifact].id);
		}
		double hgt = 6, y0 = ln->y + (r == REC_ROUND_REVIEW ? 2.5 : LANE_H - 2.5 - hgt);
		for (size_t k = 0; k < nb; k++) {
			const struct bar *br = &bars[k];
			int64_t end = br->ans ? br->ans->at : t->h;
			double x0 = x_of(t, br->req->at), x1 = x_of(t, end);
			if (x1 - x0 < 2)
				x1 = x0 + 2;
			char rq[TS_BUFSZ], an[TS_BUFSZ];
			clock_words(br->req->at, rq);
			buf_puts(o, "<g><title>");
			esc_html(o, pol->groups[ln->group].title);
			buf_printf(o, ", %s round [%s]: requested %s", rec_round_name((enum rec_round)r),
				   buf_str(&br->arts), rq);
			if (br->ans) {
				char d[TS_BUFSZ];
				clock_words(br->ans->at, an);
				ts_format_human(br->ans->at - br->req->at, d);
				buf_printf(o, ", %s %s after %s", rec_event_type_name(br->ans->type), an, d);
			} else {
				buf_puts(o, ", no answer by the audit time");
			}
			if (br->bak) {
				clock_words(br->bak->at, an);
				buf_printf(o, ", back-ups engaged %s", an);
			}
			buf_puts(o, "</title>");
			const char *cls = !br->ans ? "bar-open" : r == REC_ROUND_REVIEW ? "bar-r" : "bar-f";
			t->bar_drawn[!br->ans ? 2 : r == REC_ROUND_REVIEW ? 0 : 1] = true;
			draw_rect(o, cls, x0, y0, x1 - x0, hgt);
			/* The end of the response window. */
			int64_t due = br->req->at + tg->response;
			if (in_range(t, due)) {
				double xd = x_of(t, due);
				t->win_drawn = true;
				draw_line(o, "win", xd, y0 - 2, xd, y0 + hgt + 2);
			}
			buf_puts(o, "</g>\n");
		}
		for (size_t k = 0; k < nb; k++)
			buf_free(&bars[k].arts);
	}
}

static const char timeline_css[] =
	"text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
	"'Liberation Sans',sans-serif;fill:#1b2230}"
	".tick{font-size:10px;fill:#5a6372}.tick-d{font-weight:700;fill:#1b2230}"
	".lane{font-size:11px}.lane-b{font-weight:700}.lane-2{font-size:10px}"
	".stripe{fill:#f3f5f8}.lanesep{stroke:#d3d8e0;stroke-width:.6}"
	".frame{fill:none;stroke:#9aa3b1;stroke-width:.8}"
	".grid{stroke:#c9ced6;stroke-width:.6;stroke-dasharray:2 3}"
	".grid-d{stroke:#5a6372;stroke-width:.9}"
	".vl-cutoff{stroke:#6a1b9a;stroke-width:1.6;stroke-dasharray:7 3}"
	".vl-deadline{stroke:#b3261e;stroke-width:2}"
	".vl-t0{stroke:#1b2230;stroke-width:1;stroke-dasharray:1 2}"
	".vl-asof{stroke:#5a6372;stroke-width:1;stroke-dasharray:4 2 1 2}"
	".lbl{font-size:10px;font-weight:700;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}.lbl-cutoff{fill:#6a1b9a}.lbl-deadline{fill:#b3261e}"
	".lbl-t0,.lbl-asof{fill:#1b2230;font-weight:400}"
	".bdg{fill:#fff;stroke:#1b2230;stroke-width:1.2}.bdg-f{fill:#1b2230;stroke:#1b2230}"
	".bdgt{font-size:8.5px;font-weight:700;text-anchor:middle}"
	".bdgt-f{font-size:8.5px;font-weight:700;text-anchor:middle;fill:#fff}"
	".m-note{fill:#fff;stroke:#5a6372;stroke-width:1}"
	".m-draft{fill:#fff;stroke:#1f5fa8;stroke-width:1.6}"
	".m-deployed{fill:#0d3b6e;stroke:#0d3b6e}"
	".m-cutoff{fill:#fff;stroke:#6a1b9a;stroke-width:1.6}"
	".m-req{fill:#fff;stroke:#1b2230;stroke-width:1.3}.m-req-f{fill:#1b2230}"
	".m-posted{fill:#5a6372}"
	".m-engaged{fill:#fff;stroke:#1b2230;stroke-width:1.6}"
	".m-update{stroke:#5a6372;stroke-width:1.6}"
	".m-feedback{fill:#fff;stroke:#1f5fa8;stroke-width:1.5}"
	".m-approved{fill:none;stroke:#1b7a3a;stroke-width:2.4;stroke-linecap:round;stroke-linejoin:round}"
	".m-backup{fill:#e07b00;stroke:#1b2230;stroke-width:1}"
	".m-fail-h,.m-exc-h{stroke:#fff;stroke-width:5;stroke-linecap:round}"
	".m-fail{stroke:#b3261e;stroke-width:2.6;stroke-linecap:round}"
	".m-exc{stroke:#8f5500;stroke-width:1.8;stroke-linecap:round}"
	".m-exc-c{fill:#fff;stroke:#8f5500;stroke-width:1.4;stroke-dasharray:2 1.5}"
	".bar-r{fill:#cfe0f3;stroke:#1f5fa8;stroke-width:.8}"
	".bar-f{fill:#1f5fa8;stroke:#0d3b6e;stroke-width:.8}"
	".bar-open{fill:url(#sc-hatch);stroke:#b3261e;stroke-width:1;stroke-dasharray:3 2}"
	".win{stroke:#1b2230;stroke-width:1.4}"
	".leg{font-size:10px}.legh{font-size:10px;font-weight:700}";

/* A vertical line from its label's row down to y1, and the label;
 * off the axis, the label only. */
static void draw_vline(const struct chart *t, struct buf *o, const struct vline *v, double y1)
{
	double ly = (v->row + 1) * LABEL_ROW_H - 3;
	if (!v->off_chart) {
		double x = x_of(t, v->at);
		char lcls[48];
		snprintf(lcls, sizeof(lcls), "vl-%s", v->cls);
		draw_line(o, lcls, x, ly + 3, x, y1);
	}
	char cls[48];
	snprintf(cls, sizeof(cls), "lbl lbl-%s", v->cls);
	svg_text(o, v->lx, ly, cls, v->end_anchor ? "end" : NULL);
	esc_html(o, v->label);
	buf_puts(o, "</text>\n");
}

/* The legend of what the chart shows, below the lanes, from y; returns
 * its height. */
static double draw_legend(const struct chart *t, struct buf *o, double y)
{
	enum leg_kind { LEG_MARK, LEG_BADGES, LEG_BAR, LEG_WINDOW, LEG_LINE };
	static const struct {
		enum leg_kind kind;
		enum mark m;
		int k;                  /* which bar or line */
		const char *cls;
		const char *text;
	} items[] = {
		{ LEG_BADGES, MK_DETECTED, 0, NULL, "detected, severity, impact" },
		{ LEG_MARK, MK_RESOLVED, 0, NULL, "resolved" },
		{ LEG_MARK, MK_NOTE, 0, NULL, "note" },
		{ LEG_MARK, MK_STARTED, 0, NULL, "communications started" },
		{ LEG_MARK, MK_DRAFT, 0, NULL, "draft ready" },
		{ LEG_MARK, MK_CUTOFF, 0, NULL, "cutoff announced" },
		{ LEG_MARK, MK_REQ_REVIEW, 0, NULL, "review requested" },
		{ LEG_MARK, MK_REQ_FINAL, 0, NULL, "final approval requested" },
		{ LEG_MARK, MK_DEPLOYED, 0, NULL, "deployed" },
		{ LEG_MARK, MK_POSTED, 0, NULL, "posted to a channel" },
		{ LEG_MARK, MK_ENGAGED, 0, NULL, "group engaged" },
		{ LEG_MARK, MK_UPDATE, 0, NULL, "update to the group" },
		{ LEG_MARK, MK_FEEDBACK, 0, NULL, "feedback" },
		{ LEG_MARK, MK_APPROVED, 0, NULL, "approved" },
		{ LEG_MARK, MK_BACKUP, 0, NULL, "back-ups engaged" },
		{ LEG_BAR, MK_NOTE, 0, "bar-r", "review: request to answer" },
		{ LEG_BAR, MK_NOTE, 1, "bar-f", "final: request to approval" },
		{ LEG_BAR, MK_NOTE, 2, "bar-open", "unanswered at the audit time" },
		{ LEG_WINDOW, MK_NOTE, 0, NULL, "end of the response window" },
		{ LEG_LINE, MK_NOTE, 0, "vl-cutoff", "announced cutoff" },
		{ LEG_LINE, MK_NOTE, 1, "vl-deadline", "turnaround deadline" },
		{ LEG_LINE, MK_NOTE, 2, "vl-t0", "T0 (communications started)" },
		{ LEG_LINE, MK_NOTE, 3, "vl-asof", "audit time" },
		{ LEG_MARK, MK_FAIL, 0, NULL, "failed finding, at its due time" },
		{ LEG_MARK, MK_EXCEPTED, 0, NULL, "excepted finding" },
	};
	const double col_w = 186, row_h = 15, x0 = 16;
	const size_t cols = 5;
	double yy = y + 12;
	buf_puts(o, "<g class=\"legend\">");
	svg_text(o, x0, yy, "legh", NULL);
	buf_puts(o, "Legend</text>\n");
	yy += 16;
	size_t col = 0;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		bool shown = false;
		switch (items[i].kind) {
		case LEG_MARK: shown = t->drawn[items[i].m]; break;
		case LEG_BADGES:
			shown = t->drawn[MK_DETECTED] || t->drawn[MK_SEVERITY] || t->drawn[MK_IMPACT];
			break;
		case LEG_BAR: shown = t->bar_drawn[items[i].k]; break;
		case LEG_WINDOW: shown = t->win_drawn; break;
		case LEG_LINE: shown = t->line_drawn[items[i].k]; break;
		}
		if (!shown)
			continue;
		double x = x0 + (double)col * col_w, cy = yy - 3.5, tx = x + 22;
		switch (items[i].kind) {
		case LEG_MARK:
			mark(o, items[i].m, x + 8, cy);
			break;
		case LEG_BADGES:
			letter_badge(o, x + 6, cy, "D", false);
			letter_badge(o, x + 21, cy, "S", false);
			letter_badge(o, x + 36, cy, "I", false);
			tx = x + 48;
			break;
		case LEG_BAR:
		case LEG_WINDOW:
			draw_rect(o, items[i].cls ? items[i].cls : "bar-r", x - 2, yy - 7, 20, 7);
			if (items[i].kind == LEG_WINDOW) {
				draw_line(o, "win", x + 10, yy - 9, x + 10, yy + 2);
			}
			break;
		case LEG_LINE:
			draw_line(o, items[i].cls, x + 8, yy - 11, x + 8, yy + 3);
			break;
		}
		svg_text(o, tx, yy, "leg", NULL);
		buf_puts(o, items[i].text);
		buf_puts(o, "</text>\n");
		if (++col == cols) {
			col = 0;
			yy += row_h;
		}
	}
	if (col)
		yy += row_h;
	buf_puts(o, "</g>\n");
	return yy - y;
}

/* See audit_svg.h. */
void audit_svg_timeline(const struct audit *au, struct buf *out)
{
	const struct record *rec = au->rec;
	const struct policy *pol = au->pol;
	const struct pol_target *tg = &pol->targets[rec->severity];
	struct chart t;
	memset(&t, 0, sizeof(t));
	t.au = au;
	t.rec = rec;
	t.pol = pol;
	t.h = au->audited_at;
	while (t.n_seen < rec->n_events && rec->events[t.n_seen].at <= t.h)
		t.n_seen++;
	for (size_t i = 0; i < t.n_seen; i++) {
		const struct rec_event *ev = &rec->events[i];
		if (ev->type == REC_EV_CUTOFF_ANNOUNCED && ev->has_cutoff) {
			t.has_cutoff = true;
			t.cutoff = ev->cutoff;
			break;
		}
	}
	if (au->has_t0 && tg->has_turnaround) {
		t.has_deadline = true;
		t.deadline = au->t0 + tg->turnaround;
	}
	chart_lanes(&t);
	chart_range(&t);

	/* The lines and their labels decide the header's height. */
	struct vline v[4];
	size_t nv = 0;
	char d[TS_BUFSZ];
	if (t.has_cutoff)
		vline_init(&t, &v[nv++], "cutoff", t.cutoff, "cutoff", "");
	if (t.has_deadline) {
		char suffix[64];
		ts_format_human(tg->turnaround, d);
		snprintf(suffix, sizeof(suffix), " (T0 + %s)", d);
		vline_init(&t, &v[nv++], "deadline", t.deadline, "turnaround deadline", suffix);
	}
	if (au->has_t0)
		vline_init(&t, &v[nv++], "t0", au->t0, "T0", "");
	vline_init(&t, &v[nv++], "asof", t.h, "as of", "");
	int rows = place_labels(&t, v, nv);
	double axis_y = rows * LABEL_ROW_H + 13;
	double lanes_y0 = axis_y + 6;
	for (size_t l = 0; l < t.n_lanes; l++)
		t.lanes[l].y = lanes_y0 + (double)l * LANE_H;
	double lanes_y1 = lanes_y0 + (double)t.n_lanes * LANE_H;
	double bottom_axis = lanes_y1 + 14;

	/* Markers first into their own buffer: the legend and caption need
	 * to know what was drawn. */
	struct buf body = BUF_INIT;
	for (size_t b = 0; b < t.n_bar_lanes; b++)
		draw_bars(&t, b, &body);
	for (size_t i = 0; i < t.n_seen; i++) {
		const struct rec_event *ev = &rec->events[i];
		size_t lane;
		switch (ev->type) {
		case REC_EV_DETECTED: case REC_EV_SEVERITY_DETERMINED: case REC_EV_IMPACT_DETERMINED:
		case REC_EV_RESOLVED: case REC_EV_NOTE:
		case REC_EV_AWARE: case REC_EV_MATERIAL: case REC_EV_CLASSIFIED_MAJOR: case REC_EV_PAYMENT:
		case REC_EV_NOTIFIED:
			lane = t.incident;
			break;
		case REC_EV_COMMS_STARTED: case REC_EV_DRAFT_READY: case REC_EV_CUTOFF_ANNOUNCED:
		case REC_EV_REVIEW_REQUESTED: case REC_EV_DEPLOYED: case REC_EV_POSTED:
			lane = t.comms;
			break;
		default:
			lane = lane_for_group(&t, ev->group);
			break;
		}
		if (lane == (size_t)-1)
			continue;
		struct lane *ln = &t.lanes[lane];
		enum mark m = event_mark(ev);
		double x = x_of(&t, ev->at);
		if (x - ln->last_x[m] < 3.0) {
			t.merged++;
			continue;
		}
		if (t.markers == MAX_MARKERS) {
			t.capped++;
			continue;
		}
		ln->last_x[m] = x;
		t.markers++;
		buf_puts(&body, "<g>");
		event_title(&t, ev, &body);
		mark(&body, m, x, ln->y + LANE_H / 2);
		t.drawn[m] = true;
		buf_puts(&body, "</g>\n");
	}
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->status != AUDIT_FAIL && f->status != AUDIT_EXCEPTED)
			continue;
		size_t lane = f->group >= 0 ? lane_for_group(&t, f->group) : t.comms;
		if (lane == (size_t)-1)
			lane = t.comms;
		int64_t at = f->has_due ? f->due : f->has_met ? f->met : t.h;
		if (at < t.start)
			at = t.start;
		if (at > t.end)
			at = t.end;
		struct lane *ln = &t.lanes[lane];
		double x = x_of(&t, at);
		bool again = false;
		for (size_t k = 0; k < ln->n_fail_x; k++)
			again |= ln->fail_x[k] > x - 0.5 && ln->fail_x[k] < x + 0.5;
		if (again || t.fail_marks >= MAX_FAIL_MARKS)
			continue;
		if (ln->n_fail_x < 8)
			ln->fail_x[ln->n_fail_x++] = x;
		t.fail_marks++;
		buf_printf(&body, "<a href=\"#f-%zu\"><title>%s %s ", i + 1,
			   f->status == AUDIT_FAIL ? "FAIL" : "excepted", pol_rule_name(f->rule));
		esc_html(&body, f->subject);
		buf_puts(&body, ": ");
		esc_html_n(&body, f->note, 200);
		buf_puts(&body, "</title>");
		mark(&body, f->status == AUDIT_FAIL ? MK_FAIL : MK_EXCEPTED, x, ln->y + LANE_H / 2);
		t.drawn[f->status == AUDIT_FAIL ? MK_FAIL : MK_EXCEPTED] = true;
		buf_puts(&body, "</a>\n");
	}

	struct buf legend = BUF_INIT;
	for (size_t i = 0; i < nv; i++) {
		static const char *const kinds[] = { "cutoff", "deadline", "t0", "asof" };
		for (int k = 0; k < 4; k++)
			if (!v[i].off_chart && strcmp(v[i].cls, kinds[k]) == 0)
				t.line_drawn[k] = true;
	}
	double legend_h = draw_legend(&t, &legend, bottom_axis + 8);
	double height = bottom_axis + 8 + legend_h + 6;

	buf_puts(out, "<section id=\"timeline\">\n<h2>Timeline of the communications process</h2>\n"
		 "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 ");
	svg_num(out, SVG_W);
	buf_putc(out, ' ');
	svg_num(out, height);
	buf_puts(out, "\" width=\"100%\" role=\"img\" aria-labelledby=\"tl-title\" "
		 "font-family=\"sans-serif\" font-size=\"11\">\n<title id=\"tl-title\">Timeline of ");
	esc_html(out, rec->id);
	buf_puts(out, ": one lane per group, request-to-answer bars, back-up engagements, the cutoff "
		 "and the turnaround deadline, failed findings marked</title>\n<defs><style>");
	buf_puts(out, timeline_css);
	buf_puts(out, "</style>\n<pattern id=\"sc-hatch\" patternUnits=\"userSpaceOnUse\" width=\"5\" "
		 "height=\"5\" patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#fff\"/>"
		 "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"#b3261e\" stroke-width=\"2\"/></pattern>"
		 "</defs>\n");
	svg_el(out, "rect", "x y width height", NULL, (const double[]){ 0, 0, SVG_W, height },
	       " fill=\"#fff\"/>\n");
	/* Lanes: stripes, separators, labels. */
	for (size_t l = 0; l < t.n_lanes; l++) {
		const struct lane *ln = &t.lanes[l];
		if (l % 2 == 0) {
			draw_rect(out, "stripe", 0, ln->y, SVG_W, LANE_H);
		}
		if (ln->kind == LANE_GROUP && (l == 0 || t.lanes[l - 1].kind != LANE_GROUP)) {
			draw_line(out, "grid-d", 0, ln->y, SVG_W, ln->y);
		}
		lane_label(&t, ln, out);
		buf_putc(out, '\n');
	}
	draw_rect(out, "frame", PLOT_X0, lanes_y0, PLOT_X1 - PLOT_X0, lanes_y1 - lanes_y0);
	buf_putc(out, '\n');
	svg_text(out, PLOT_X0 - 10, axis_y, "tick tick-d", "end");
	{
		char s[TS_BUFSZ];
		ts_format_utc(t.start, s);
		s[10] = '\0';
		buf_printf(out, "UTC, %s</text>\n", s);
	}
	draw_ticks(&t, out, axis_y, lanes_y0, lanes_y1, true);
	draw_ticks(&t, out, bottom_axis, 0, 0, false);
	buf_putc(out, '\n');
	for (size_t i = 0; i < nv; i++)
		draw_vline(&t, out, &v[i], lanes_y1);
	buf_append(out, body.data ? body.data : "", body.len);
	buf_append(out, legend.data ? legend.data : "", legend.len);
	buf_puts(out, "</svg>\n<figcaption>");
	char a[TS_BUFSZ], z[TS_BUFSZ];
	audit_svg_time_words(t.start, a);
	audit_svg_time_words(t.end, z);
	buf_printf(out, "Time runs left to right, in UTC, from %s to %s. ", a, z);
	ts_format_human(tg->response, d);
	buf_printf(out, "Each approver group's lane shows its review round (upper bar) and final round "
		   "(lower bar) from the request to the group's answer; the tick on a bar is the end of "
		   "the %s response window.", d);
	if (!t.has_cutoff)
		buf_puts(out, " No cutoff was announced.");
	if (!tg->has_turnaround)
		buf_printf(out, " The policy sets no turnaround for %s, so there is no deadline.",
			   pol_severity_name(rec->severity));
	else if (!au->has_t0 && tl_shown_by(rec, REC_EV_COMMS_STARTED, au->audited_at))
		buf_puts(out, " The record has no comms-started event, though later events show that "
			 "communications started, so there is no turnaround deadline to draw.");
	else if (!au->has_t0)
		buf_puts(out, " Communications have not started, so there is no turnaround deadline yet.");
	if (t.merged)
		buf_printf(out, " %zu event marker%s fell on top of another of the same kind at this scale "
			   "and %s merged.", t.merged, t.merged == 1 ? "" : "s", t.merged == 1 ? "was" : "were");
	if (t.capped)
		buf_printf(out, " Only the first %d event markers are drawn; %zu more are not.", MAX_MARKERS,
			   t.capped);
	if (t.fail_marks >= MAX_FAIL_MARKS)
		buf_printf(out, " Only the first %d failure marks are drawn.", MAX_FAIL_MARKS);
	if (t.n_seen < rec->n_events)
		buf_printf(out, " %zu event%s after the audit time %s not shown.", rec->n_events - t.n_seen,
			   rec->n_events - t.n_seen == 1 ? "" : "s", rec->n_events - t.n_seen == 1 ? "is" : "are");
	if (t.other != (size_t)-1)
		buf_puts(out, " Groups beyond the first lanes share the \xE2\x80\x9COther groups\xE2\x80\x9D lane.");
	buf_puts(out, "</figcaption>\n</figure>\n</section>\n");

	buf_free(&body);
	buf_free(&legend);
	free(t.lanes);
	free(t.lane_of_group);
}
