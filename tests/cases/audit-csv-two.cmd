$SIRCOMM audit --format csv samples/s2-no-turnaround.xml samples/s3-medium-out-of-scope.xml
