# -o DIR is followed, a link the user chose; nothing below it is.  An
# incident directory that is a symbolic link to another directory is
# refused, and the drafts there stay as they were; so is a drafts
# directory that is a link.
cd "$TMPDIR_CASE"
cp "$OLDPWD/samples/s1-breach.xml" rec.xml
mkdir out elsewhere elsewhere/drafts
echo precious > elsewhere/drafts/keep.txt
ln -s ../elsewhere out/SIRT-2026-0142
$SIRCOMM draft -o out rec.xml; echo "status $?"
ls elsewhere/drafts
rm out/SIRT-2026-0142
mkdir out/SIRT-2026-0142
ln -s ../../elsewhere/drafts out/SIRT-2026-0142/drafts
$SIRCOMM draft -o out rec.xml; echo "status $?"
ls elsewhere/drafts
ls -A out/SIRT-2026-0142
rm out/SIRT-2026-0142/drafts
ln -s out chosen
$SIRCOMM draft -o chosen rec.xml; echo "status $?"
ls out/SIRT-2026-0142/drafts | wc -l
