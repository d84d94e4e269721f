/* policy_show.c - the policy as Markdown tables, laid out like the plan's
 * own tables so a comms manager can check them row by row. */
#include "model/policy.h"

#include <stdio.h>
#include <string.h>

#include "base/ts.h"

/* Appends text for a table cell: Markdown punctuation escaped, line
 * breaks folded, so a policy's titles cannot break the table. */
static void cell(struct buf *out, const char *s)
{
	const char *start = s;
	for (; *s; s++) {
		/* '_' only emphasises at a word's edge; inside a word it is text. */
		bool edge_underscore = *s == '_' &&
			(s == start || s[-1] == ' ' || s[1] == '\0' || s[1] == ' ');
		if (*s == '\n' || *s == '\r' || *s == '\t')
			buf_putc(out, ' ');
		else if (edge_underscore || (*s && strchr("\\|*[]<>`", *s))) {
			buf_putc(out, '\\');
			buf_putc(out, *s);
		} else
			buf_putc(out, *s);
	}
}

static void duration_cell(struct buf *out, bool has, int64_t secs)
{
	if (!has) {
		buf_puts(out, "none");
		return;
	}
	char human[TS_BUFSZ], iso[TS_BUFSZ];
	ts_format_human(secs, human);
	ts_format_duration(secs, iso);
	buf_printf(out, "%s (`%s`)", human, iso);
}

static const char *role_label(enum pol_role r)
{
	switch (r) {
	case POL_ROLE_APPROVER: return "Approver";
	case POL_ROLE_FYI: return "FYI Only";
	case POL_ROLE_DRI: return "DRI/Contributor";
	case POL_ROLE_APPROVER_IF_QUOTED: return "Approver if quote attributed to Security, FYI otherwise";
	case POL_ROLE_NONE: break;
	}
	return "-";
}

static void cond_describe(const struct pol_cond *c, struct buf *out, bool nested)
{
	switch (c->kind) {
	case POL_COND_ALWAYS:
		buf_puts(out, "always");
		return;
	case POL_COND_SEVERITY: {
		const char *sep = "";
		buf_puts(out, "severity ");
		for (int s = 0; s < POL_SEVERITY_COUNT; s++) {
			if (c->severities & (1u << s)) {
				buf_printf(out, "%s%s", sep, pol_severity_name((enum pol_severity)s));
				sep = " or ";
			}
		}
		return;
	}
	case POL_COND_FACT:
		buf_puts(out, pol_fact_label(c->fact));
		return;
	case POL_COND_NOT:
		buf_puts(out, "not ");
		cond_describe(c->kids[0], out, true);
		return;
	case POL_COND_ANY:
	case POL_COND_ALL:
		break;
	}
	bool paren = nested && c->n_kids > 1;
	if (paren)
		buf_putc(out, '(');
	for (size_t i = 0; i < c->n_kids; i++) {
		if (i)
			buf_puts(out, c->kind == POL_COND_ANY ? " or " : " and ");
		cond_describe(c->kids[i], out, true);
	}
	if (paren)
		buf_putc(out, ')');
}

void pol_cond_describe(const struct pol_cond *c, struct buf *out)
{
	cond_describe(c, out, false);
}

static const char *from_label(enum pol_from f)
{
	switch (f) {
	case POL_FROM_SEVERITY_DETERMINED: return "the severity determination";
	case POL_FROM_FACT: return "when the fact became known";
	case POL_FROM_COMMS_STARTED: return "the start of communications";
	case POL_FROM_IMPACT_DETERMINED: return "the impact determination";
	case POL_FROM_FIRST_DRAFT: return "the first draft";
	case POL_FROM_FIRST_DEPLOYMENT: return "the first public-facing deployment";
	case POL_FROM_COUNT: break;
	}
	return "?";
}

static void show_header(const struct policy *pol, struct buf *out)
{
	char human[TS_BUFSZ];
	buf_puts(out, "# ");
	cell(out, pol->title);
	buf_puts(out, "\n\n| Setting | Value |\n|---|---|\n");
	buf_puts(out, "| Policy name | `");
	buf_puts(out, pol->name);
	buf_puts(out, "` |\n| Source | ");
	cell(out, pol->path);
	buf_printf(out, " |\n| SHA-256 | `%s` |\n| Organization | ", pol->sha256_hex);
	cell(out, pol->organization);
	buf_puts(out, " |\n| Sender of customer email | ");
	cell(out, pol->sender_name);
	buf_puts(out, " \\<");
	cell(out, pol->sender_address);
	buf_puts(out, "\\> |\n");
	if (pol->press_address) {
		buf_puts(out, "| Press contact | ");
		cell(out, pol->press_name);
		buf_puts(out, " \\<");
		cell(out, pol->press_address);
		buf_puts(out, "\\> |\n");
	}
	buf_puts(out, "| Display time zone | ");
	cell(out, pol->zone_name);
	if (pol->zone_spans) {
		buf_puts(out, " (from the tz database: daylight saving time applied) |\n");
	} else {
		char off[24];
		int a = pol->zone_offset < 0 ? -pol->zone_offset : pol->zone_offset;
		snprintf(off, sizeof(off), "%c%02d:%02d", pol->zone_offset < 0 ? '-' : '+',
			 a / 60, a % 60);
		buf_printf(out, " (UTC%s) |\n", off);
	}
	buf_printf(out, "| Scope | impact %s or greater |\n", pol_impact_name(pol->min_impact));
	ts_format_human(pol->immediately, human);
	buf_printf(out, "| \"Immediately\" means | within %s |\n\n", human);
}

static void show_targets(const struct policy *pol, struct buf *out)
{
	size_t required = 0;
	for (size_t g = 0; g < pol->n_groups; g++)
		required += pol->groups[g].required;
	buf_puts(out, "## Targets by severity\n\n"
		 "Turnaround counts from the start of communications; the deployment "
		 "budget from the moment quorum is reached.\n\n"
		 "| Severity | Turnaround | Drafting | Deployment | Approver response | "
		 "Back-up grace | Quorum at cutoff |\n|---|---|---|---|---|---|---|\n");
	for (int s = 0; s < POL_SEVERITY_COUNT; s++) {
		const struct pol_target *t = &pol->targets[s];
		buf_printf(out, "| %s | ", pol_severity_name((enum pol_severity)s));
		duration_cell(out, t->has_turnaround, t->turnaround);
		buf_puts(out, " | ");
		duration_cell(out, t->has_drafting, t->drafting);
		buf_puts(out, " | ");
		duration_cell(out, t->has_deployment, t->deployment);
		buf_puts(out, " | ");
		duration_cell(out, true, t->response);
		buf_puts(out, " | ");
		duration_cell(out, true, t->backup_grace);
		buf_printf(out, " | %d of %zu required groups |\n", t->quorum, required);
	}
	buf_putc(out, '\n');
}

static void show_groups(const struct policy *pol, struct buf *out)
{
	buf_puts(out, "## Designated approvers and back-up chains\n\n"
		 "Back-ups are engaged in order when the primary approver does not "
		 "answer within the response window.\n\n"
		 "| Group | Id | Required | Primary approver | Back-ups, in order |\n"
		 "|---|---|---|---|---|\n");
	for (size_t g = 0; g < pol->n_groups; g++) {
		const struct pol_group *gr = &pol->groups[g];
		if (!gr->n_chain)
			continue;
		buf_puts(out, "| ");
		cell(out, gr->title);
		buf_printf(out, " | `%s` | %s | ", gr->id, gr->required ? "yes" : "no");
		cell(out, gr->chain[0]);
		buf_puts(out, " | ");
		for (size_t i = 1; i < gr->n_chain; i++) {
			if (i > 1)
				buf_puts(out, ", then ");
			cell(out, gr->chain[i]);
		}
		if (gr->n_chain == 1)
			buf_puts(out, "none");
		buf_puts(out, " |\n");
	}
	buf_putc(out, '\n');
	const char *sep = "";
	buf_puts(out, "Required groups for quorum: ");
	for (size_t g = 0; g < pol->n_groups; g++) {
		if (pol->groups[g].required) {
			buf_puts(out, sep);
			cell(out, pol->groups[g].title);
			sep = ", ";
		}
	}
	buf_puts(out, ".\n\n");
}

static void show_matrix(const struct policy *pol, struct buf *out)
{
	buf_puts(out, "## Approval matrix\n\n| Group |");
	size_t cols = 0;
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		if (!pol->artifacts[a].external)
			continue;
		buf_puts(out, " ");
		cell(out, pol->artifacts[a].title);
		buf_puts(out, " |");
		cols++;
	}
	buf_puts(out, "\n|---|");
	for (size_t i = 0; i < cols; i++)
		buf_puts(out, "---|");
	buf_putc(out, '\n');
	for (size_t g = 0; g < pol->n_groups; g++) {
		const struct pol_group *gr = &pol->groups[g];
		if (!gr->n_chain)
			continue;
		buf_puts(out, "| ");
		cell(out, gr->chain[0]);
		buf_puts(out, " (");
		cell(out, gr->title);
		buf_puts(out, ") |");
		for (size_t a = 0; a < pol->n_artifacts; a++) {
			if (!pol->artifacts[a].external)
				continue;
			buf_printf(out, " %s |", role_label(pol_role_of(pol, g, a)));
		}
		buf_putc(out, '\n');
	}
	buf_putc(out, '\n');
}

static void show_engagements(const struct policy *pol, struct buf *out)
{
	buf_puts(out, "## Engaging key internal stakeholders\n\n"
		 "| Group | When to engage | Deadline | DRI to engage | Cadence | Channel | Plan |\n"
		 "|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		char human[TS_BUFSZ];
		struct buf cond = BUF_INIT;
		pol_cond_describe(e->when, &cond);
		buf_puts(out, "| ");
		cell(out, pol->groups[e->group].title);
		buf_puts(out, " | ");
		cell(out, buf_str(&cond));
		ts_format_human(e->delay, human);
		if (e->delay == 0)
			buf_printf(out, " | by %s", from_label(e->from));
		else
			buf_printf(out, " | within %s%s of %s", human,
				   e->delay_immediately ? " (immediately)" : "", from_label(e->from));
		buf_puts(out, " | ");
		cell(out, e->dri);
		if (e->cadence) {
			ts_format_human(e->cadence, human);
			buf_printf(out, " | every %s | ", human);
		} else {
			buf_puts(out, " | continuous | ");
		}
		cell(out, e->channel);
		buf_puts(out, " | ");
		cell(out, e->plan ? e->plan : "");
		buf_puts(out, " |\n");
		buf_free(&cond);
	}
	buf_putc(out, '\n');
}

static void checkpoint_group(const struct policy *pol, int g, struct buf *out)
{
	if (g < 0) {
		buf_puts(out, "not audited |\n");
		return;
	}
	cell(out, pol->groups[g].title);
	buf_printf(out, " (`%s`) |\n", pol->groups[g].id);
}

static void show_checkpoints(const struct policy *pol, struct buf *out)
{
	buf_puts(out, "\n## Checkpoints\n\n"
		 "What must happen before an external artifact goes on.\n\n"
		 "| Rule | Checkpoint | Who |\n|---|---|---|\n"
		 "| EXTCOMMS-REVIEW | reviews it before it goes to the designated key approvers | ");
	checkpoint_group(pol, pol->extcomms_review_group, out);
	buf_puts(out, "| EXTCOMMS-APPROVAL | approves its final messaging before it is deployed | ");
	checkpoint_group(pol, pol->extcomms_approval_group, out);
	buf_printf(out, "| FYI-INFORMED | is informed of it before it is deployed | %s |\n",
		   pol->fyi_informed ? "each FYI group of the approval matrix" : "not audited");
}

/* The regulators' deadlines (<regulatory>), for counsel to check: each
 * stage's citation, the cited words and the clocks as sircomm counts them. */
static void show_regulatory(const struct policy *pol, struct buf *out)
{
	const struct legal *lg = &pol->legal;
	if (!lg->n_regimes)
		return;
	buf_puts(out, "\n## Regulators' deadlines\n\n"
		 "Which regimes apply is each record's statement; sircomm gives no legal advice.  "
		 "docs/regulatory.md explains the clocks.\n\n"
		 "| Regime/stage | Citation | Deadline (cited text) | Clocks |\n|---|---|---|---|\n");
	struct buf clocks = BUF_INIT;
	for (size_t r = 0; r < lg->n_regimes; r++) {
		const struct legal_regime *lr = &lg->regimes[r];
		for (size_t k = 0; k < lr->n_stages; k++) {
			const struct legal_stage *st = &lr->stages[k];
			buf_reset(&clocks);
			for (size_t c = 0; c < st->n_clocks; c++) {
				buf_puts(&clocks, c ? "; or " : "");
				legal_clock_describe(lr, &st->clocks[c], &clocks);
			}
			if (st->n_clocks > 1)
				buf_puts(&clocks, ", whichever comes first");
			if (st->has_roll)
				buf_printf(&clocks, "; on a day off of %s: %02d:%02d the next working day",
					   lg->calendars[st->roll.calendar].id, st->roll.at / 60,
					   st->roll.at % 60);
			buf_printf(out, "| `%s/%s` | ", lr->id, st->id);
			cell(out, st->citation);
			buf_puts(out, " | ");
			cell(out, st->deadline);
			buf_puts(out, " | ");
			cell(out, buf_str(&clocks));
			buf_puts(out, " |\n");
		}
	}
	buf_free(&clocks);
	for (size_t c = 0; c < lg->n_calendars; c++) {
		const struct legal_calendar *cal = &lg->calendars[c];
		buf_printf(out, "\nCalendar `%s`: ", cal->id);
		cell(out, cal->title);
		buf_printf(out, ", %zu holidays listed", cal->n_holidays);
		if (cal->n_holidays) {
			char a[TS_BUFSZ], b[TS_BUFSZ];
			ts_format_utc(cal->first * 86400, a);
			ts_format_utc(cal->last * 86400, b);
			buf_printf(out, " (%.4s to %.4s)", a, b);
		}
		buf_puts(out, ".\n");
	}
}

void pol_show_markdown(const struct policy *pol, struct buf *out)
{
	show_header(pol, out);
	show_targets(pol, out);
	show_groups(pol, out);
	show_matrix(pol, out);
	show_engagements(pol, out);
	buf_puts(out, "## Awareness channels\n\n"
		 "After the first public-facing deployment, final materials are posted to:\n\n");
	for (size_t i = 0; i < pol->n_channels; i++) {
		buf_puts(out, "- ");
		cell(out, pol->channels[i]);
		buf_putc(out, '\n');
	}
	show_checkpoints(pol, out);
	buf_puts(out, "\n## Exception approvers\n\n"
		 "An exception excuses a finding only when one of these approved it (the plan: "
		 "SIRT management approves exceptions to the procedure):\n\n");
	for (size_t i = 0; i < pol->n_exception_approvers; i++) {
		buf_puts(out, "- ");
		cell(out, pol->exception_approvers[i]);
		buf_putc(out, '\n');
	}
	if (!pol->n_exception_approvers)
		buf_puts(out, "- nobody: no exception excuses a finding\n");
	buf_puts(out, "\n## Artifacts\n\n"
		 "Public-facing artifacts are released to customers or the public; the first "
		 "of them to be deployed is the first public release.\n\n"
		 "| Artifact | Id | Kind | Public-facing |\n|---|---|---|---|\n");
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		buf_puts(out, "| ");
		cell(out, pol->artifacts[a].title);
		buf_printf(out, " | `%s` | %s | %s |\n", pol->artifacts[a].id,
			   pol->artifacts[a].external ? "external" : "internal",
			   pol->artifacts[a].public_facing ? "yes" : "no");
	}
	show_regulatory(pol, out);
}
