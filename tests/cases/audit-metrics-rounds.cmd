# Response metrics count each answer in its own round: an approval with
# no round given after the final request is a final-round response, not
# a (late) review-round one.  Security and Investor Relations did not
# answer the review round; their final-round answers stay in the final
# round (tests/audit/review-answer-final-round.xml).
$SIRCOMM audit --format json tests/audit/review-answer-final-round.xml |
	python3 -c 'import json, sys; [print(r["round"], r["group"], r["seconds"]) for r in json.load(sys.stdin)["metrics"]["responses"]]'
