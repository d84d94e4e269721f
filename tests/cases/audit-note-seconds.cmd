# A note that sets a duration against a limit shows it to the second when
# the usual rounding would make both read the same: a deployment one
# second past its one-hour budget, a release one second past the six-hour
# turnaround.  Durations that differ anyway keep their usual words.
$SIRCOMM audit tests/audit/deployment-budget.xml | grep '^[a-z]* *DEPLOYMENT '
$SIRCOMM audit tests/audit/turnaround.xml | grep '^[a-z]* *TURNAROUND '
