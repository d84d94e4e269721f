# The file is someone's: sircomm log keeps its layout, comments, quotes
# and declarations, puts an event earlier than all the others before
# the first (indented alike), and opens a timeline with no events yet
# (<timeline/> or an empty pair) one level deeper than <timeline>.
cd "$TMPDIR_CASE" || exit 9
cat > r.xml <<'XML'
<?xml version='1.0' encoding='UTF-8'?>
<!-- kept: a comment with <event at="x"/> in it -->
<incident id='SIRT-2026-0204' version='1'>
	<title>Tab-indented &amp; single-quoted</title>
	<severity>S2</severity>
	<impact>high</impact>
	<status>investigating</status>
	<scope users='some'/>
	<timeline>
		<event at='2026-03-04T09:30:00Z' type='severity-determined'/>
		<!-- between -->
		<event at='2026-03-04T09:40:00Z' type='note'><![CDATA[a <b> note]]></event>
	</timeline>
</incident>
XML
cp r.xml before.xml
$SIRCOMM log r.xml detected --at 2026-03-04T09:12:00Z
$SIRCOMM log r.xml comms-started --at 2026-03-04T09:35:00Z
$SIRCOMM log r.xml impact-determined --at 2026-03-04T09:40:00Z
diff before.xml r.xml
$SIRCOMM check r.xml
for tl in '<timeline/>' '<timeline></timeline>' '<timeline>
  </timeline>'; do
	printf '<incident id="SIRT-2026-0205" version="1">\n  <title>t</title>\n  <severity>S3</severity>\n  <impact>low</impact>\n  <status>investigating</status>\n  <scope users="none"/>\n  %s\n</incident>\n' "$tl" > e.xml
	$SIRCOMM log e.xml detected --at 2026-03-04T09:12:00Z
	$SIRCOMM log e.xml note --at 2026-03-04T09:13:00Z -n second
	cat e.xml
done
