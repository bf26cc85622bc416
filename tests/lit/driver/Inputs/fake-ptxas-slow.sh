#!/bin/sh
# Stands in for a ptxas that takes its time: writes its pid where $SLOW_PTXAS_PID says, then
# sleeps (so a test can signal tritonc while it runs).
echo $$ > "$SLOW_PTXAS_PID"
exec sleep 30
