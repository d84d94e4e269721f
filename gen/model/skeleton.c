/* skeleton.c - the skeleton record `sircomm new` prints. */
#include "model/skeleton.h"

#include <string.h>

#include "base/ts.h"

static void xml_text(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_putc(out, *s);
		}
	}
}

/* Appends the time `minutes` after detection, in the chosen offset, and
 * keeps the latest time written in *last. */
static void at(struct buf *out, const struct skel_options *opt, int64_t minutes, int64_t *last)
{
	char t[TS_BUFSZ];
	int64_t when = opt->detected + minutes * 60;
	ts_format_offset(when, opt->offset, t);
	buf_puts(out, t);
	if (when > *last)
		*last = when;
}

static const char *primary(const struct policy *pol, const char *group)
{
	int g = pol_group_index(pol, group);
	return g >= 0 && pol->groups[g].n_chain ? pol->groups[g].chain[0] : "PRIMARY APPROVER TITLE";
}

int64_t skel_write(const struct policy *pol, const struct skel_options *opt, struct buf *out)
{
	int64_t last = opt->detected;
	bool s1 = opt->severity == POL_S1;
	const struct pol_target *tg = &pol->targets[opt->severity];
	bool no_facts[POL_FACT_COUNT] = { false };

	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<!--\n"
		 "  Incident record skeleton printed by `sircomm new`.  Fill in what you\n"
		 "  know, keep adding timeline events as things happen, and run\n"
		 "  `sircomm check` on it.  docs/record-format.md lists every element.\n"
		 "  Times are RFC 3339 with an offset: 2026-03-04T09:12:00Z.\n"
		 "-->\n");
	buf_puts(out, "<incident id=\"");
	xml_text(out, opt->id);
	buf_puts(out, "\" version=\"1\">\n  <title>");
	xml_text(out, opt->title ? opt->title : "One-line title of the incident (it becomes the email subject)");
	buf_printf(out, "</title>\n"
		   "  <severity>%s</severity>            <!-- S1 | S2 | S3 | S4 -->\n"
		   "  <impact>%s</impact>%*s<!-- low | medium | high | critical; the plan covers %s and above -->\n"
		   "  <status>investigating</status>     <!-- investigating | mitigated | resolved -->\n",
		   pol_severity_name(opt->severity), pol_impact_name(opt->impact),
		   (int)(18 - strlen(pol_impact_name(opt->impact))), "",
		   pol_impact_name(pol->min_impact));
	buf_puts(out,
		 "  <scope users=\"some\">               <!-- users: none | some | many | all; count=\"N\" when known -->\n"
		 "    <service kind=\"production\">Name of the affected service</service>\n"
		 "  </scope>\n"
		 "  <!-- Facts that hold, each with at=\"TIME\" when it became known:\n"
		 "       data-breach pii private-projects financial ee-customers\n"
		 "       publicly-reported regulatory rce-exploited security-quoted -->\n"
		 "  <facts>\n"
		 "  </facts>\n"
		 "  <team>\n"
		 "    <member role=\"seoc\" name=\"Security Engineer on Call\"/>\n"
		 "    <member role=\"simoc\" name=\"Security Incident Manager on Call\"/>\n"
		 "    <member role=\"seccmoc\" name=\"Security Communications Manager on Call\"/>\n"
		 "  </team>\n"
		 "  <timeline>\n");

	buf_puts(out, "    <event at=\"");
	at(out, opt, 0, &last);
	buf_puts(out, "\" type=\"detected\" by=\"seoc\"/>\n    <event at=\"");
	at(out, opt, 10, &last);
	buf_puts(out, "\" type=\"severity-determined\" by=\"seoc\"/>\n");

	/* The engagements the plan owes from the severity alone. */
	buf_puts(out, "    <!-- Engagements the policy asks for at this severity (more follow\n"
		 "         from facts, the start of communications and the first draft):\n");
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (e->from != POL_FROM_SEVERITY_DETERMINED ||
		    !pol_cond_eval(e->when, opt->severity, no_facts))
			continue;
		char human[TS_BUFSZ];
		ts_format_human(e->delay, human);
		buf_printf(out, "         %s within %s, by %s", pol->groups[e->group].id, human, e->dri);
		if (e->cadence) {
			ts_format_human(e->cadence, human);
			buf_printf(out, ", updates every %s", human);
		}
		buf_puts(out, "\n");
	}
	buf_puts(out, "    -->\n");
	int minute = 15;
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (e->from != POL_FROM_SEVERITY_DETERMINED ||
		    !pol_cond_eval(e->when, opt->severity, no_facts))
			continue;
		buf_puts(out, "    <event at=\"");
		at(out, opt, minute, &last);
		buf_printf(out, "\" type=\"engaged\" group=\"%s\" by=\"simoc\"/>\n", pol->groups[e->group].id);
		minute += 2;
	}
	buf_puts(out, "    <event at=\"");
	at(out, opt, 30, &last);
	buf_puts(out, "\" type=\"comms-started\" by=\"seccmoc\"/>\n");
	if (tg->has_turnaround) {
		char human[TS_BUFSZ];
		ts_format_human(tg->turnaround, human);
		buf_printf(out, "    <!-- Turnaround for %s: approved and deployed within %s of comms-started.\n"
			   "         Announce the approval cutoff before the first review request: -->\n    <event at=\"",
			   pol_severity_name(opt->severity), human);
		at(out, opt, 35, &last);
		buf_puts(out, "\" type=\"cutoff-announced\" cutoff=\"");
		at(out, opt, 30 + tg->turnaround / 60, &last);
		buf_puts(out, "\"/>\n");
	}
	char human[TS_BUFSZ];
	ts_format_human(tg->response, human);
	/* The checkpoints of the policy, where it has them. */
	struct buf review = BUF_INIT, approval = BUF_INIT;
	if (pol->extcomms_review_group >= 0)
		buf_printf(&review, "         %s reviews first:\n"
			   "    <event at=\"TIME\" type=\"feedback\" group=\"%s\" by=\"NAME\" artifacts=\"customer-email\"/>\n",
			   pol->groups[pol->extcomms_review_group].title,
			   pol->groups[pol->extcomms_review_group].id);
	if (pol->extcomms_approval_group >= 0)
		buf_printf(&approval, "         %s approves the final messaging:\n"
			   "    <event at=\"TIME\" type=\"approved\" group=\"%s\" by=\"NAME\" artifacts=\"customer-email\" round=\"final\"/>\n",
			   pol->groups[pol->extcomms_approval_group].title,
			   pol->groups[pol->extcomms_approval_group].id);
	if (pol->fyi_informed)
		buf_puts(&approval, "         FYI groups are told before it goes out:\n"
			 "    <event at=\"TIME\" type=\"informed\" group=\"support\" artifacts=\"customer-email\"/>\n");
	buf_printf(out,
		   "    <!-- The rest of the process, as it happens (copy, uncomment, fill in):\n"
		   "    <event at=\"TIME\" type=\"draft-ready\" artifacts=\"customer-email support-faq social-post\"/>\n"
		   "    <event at=\"TIME\" type=\"engaged\" group=\"external-comms\" by=\"seccmoc\"/>\n"
		   "%s"
		   "    <event at=\"TIME\" type=\"review-requested\" round=\"review\" artifacts=\"customer-email\"/>\n"
		   "         approvers have %s to answer or a stand-in is appointed:\n"
		   "    <event at=\"TIME\" type=\"feedback\" group=\"legal\" by=\"%s\" artifacts=\"customer-email\"/>\n"
		   "    <event at=\"TIME\" type=\"backup-engaged\" group=\"investor-relations\" round=\"review\"/>\n"
		   "    <event at=\"TIME\" type=\"review-requested\" round=\"final\" artifacts=\"customer-email\"/>\n"
		   "    <event at=\"TIME\" type=\"approved\" group=\"security\" by=\"%s\" artifacts=\"customer-email\"/>\n"
		   "%s"
		   "    <event at=\"TIME\" type=\"deployed\" artifacts=\"customer-email\" channel=\"email\"/>\n"
		   "    <event at=\"TIME\" type=\"posted\" channel=\"%s\"/>\n"
		   "    <event at=\"TIME\" type=\"update\" group=\"director-secops\"/>\n"
		   "    <event at=\"TIME\" type=\"impact-determined\"/>\n"
		   "    <event at=\"TIME\" type=\"resolved\"/>\n"
		   "    -->\n"
		   "  </timeline>\n",
		   buf_str(&review), human, primary(pol, "legal"), primary(pol, "security"),
		   buf_str(&approval), pol->n_channels ? pol->channels[0] : "#channel");
	buf_free(&review);
	buf_free(&approval);
	buf_puts(out,
		 "  <communication>\n"
		 "    <summary>\n"
		 "      What happened, in two or three sentences.  Markdown is fine.\n"
		 "    </summary>\n"
		 "    <customer-impact>Who is affected and how.</customer-impact>\n"
		 "    <response>What the security team did and is doing.</response>\n"
		 "    <!-- required: no (customers need not act; the text may still advise),\n"
		 "         yes, or urgent (they must act now); every draft says it alike -->\n"
		 "    <customer-action required=\"yes\">What customers need to do.</customer-action>\n"
		 "    <mitigation>\n"
		 "      <step>A mitigation step that has been taken.</step>\n"
		 "    </mitigation>\n"
		 "    <next-steps>\n"
		 "      <step>What happens next.</step>\n"
		 "    </next-steps>\n"
		 "    <faq>\n"
		 "      <item><q>A question customers will ask support.</q><a>Its answer.</a></item>\n"
		 "    </faq>\n"
		 "    <!-- When the next update is due, while the incident goes on: a\n"
		 "         promise the drafts make to customers, and the audit checks a\n"
		 "         later notice came by then (NEXT-UPDATE), so give it only once\n"
		 "         the time is agreed:\n"
		 "    <next-update at=\"");
	char next[TS_BUFSZ];
	ts_format_offset(last, opt->offset, next);
	buf_puts(out, next);
	buf_puts(out,
		 "\"/>\n"
		 "    -->\n"
		 "    <!-- The blog post the social post distributes, the advisory, a contact:\n"
		 "    <links blog=\"https://...\" advisory=\"https://...\" contact=\"security@...\"/>\n"
		 "    -->\n"
		 "  </communication>\n");
	if (s1)
		buf_puts(out, "  <!-- Approved policy exceptions, if any:\n"
			 "  <exceptions>\n"
			 "    <exception id=\"EX-YYYY-NNN\" rule=\"TURNAROUND\" subject=\"customer-email\"\n"
			 "               requested-by=\"NAME\" approved-by=\"TITLE\" approved-at=\"TIME\">\n"
			 "      <justification>Why the rule could not be met.</justification>\n"
			 "    </exception>\n"
			 "  </exceptions>\n"
			 "  -->\n");
	buf_puts(out, "</incident>\n");
	return last;
}
