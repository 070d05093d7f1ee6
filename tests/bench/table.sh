#!/bin/sh
# tests/bench/table.sh RESULTS [SIZE] - the table for people (Markdown)
# from the "name value unit" lines run.sh collected.  Each row names the
# rollcall figure, the floor figure, the comparison and the target of
# issue 5; "met" compares the number in the column the target is about.
set -eu
res=$1
size=${2:-default}

# label | rollcall | floor | comparison | on (r: comparison, v: rollcall)
#       | op | limit | target as written
spec() {
	cat <<'EOF'
ingest (import), core API in-process|ingest|floor_ingest|ingest_ratio|r|>=|0.6|>= 0.6x floor
ingest, `rollcall import` processes|ingest_cli|floor_ingest|ingest_cli_ratio|r|>=|0.6|>= 0.6x floor
durable check-in, in-process, median|checkin_median|floor_checkin_median|checkin_ratio|r|<=|1.25|<= 1.25x floor
durable check-in, in-process, p99|checkin_p99|floor_checkin_p99|checkin_p99_ratio|-|||
bytes written per durable check-in|checkin_written|floor_checkin_written|checkin_written_ratio|-|||
first check-ins after a bulk import, median|checkin_after_import_median|floor_checkin_after_import_median||-|||
excuse (a day ahead), in-process, median|excuse_median|floor_excuse_median|excuse_ratio|r|<=|1.25|<= 1.25x floor
checkout (early departure), in-process, median|checkout_median|floor_checkout_median|checkout_ratio|r|<=|1.25|<= 1.25x floor
check-in during the backup's copy, median (floor: between copies)|checkin_copy_during_median|checkin_copy_between_median|checkin_backup_ratio|r|<=|1.5|<= 1.5x without
check-in during whole backups (copy, verify), median (floor: between)|checkin_backup_during_median|checkin_backup_between_median|checkin_whole_backup_ratio|-|||
backup's copy, MB/s (floor: the disk's sequential write)|copy_rate|disk_write_rate|copy_disk_ratio|r|>=|0.5|>= 0.5x the disk
check-in as a whole process, median|checkin_process_median|floor_checkin_process_median|checkin_process_excess|r|<=|2|<= floor + 2 ms
spawning /bin/true, median|true_process_median||||||
check-in at a 10k-event log, median|checkin_10k_median|floor_checkin_10k_median||-|||
check-in at a 1M-event log, median|checkin_1m_median|floor_checkin_1m_median|checkin_flat_ratio|r|<=|1.2|<= 1.2x the 10k median
rebuild vs naive floor (put per change)|rebuild|floor_rebuild_naive|rebuild_ratio|r|>=|1.0|>= 1.0x floor
rebuild vs sorted floor (MDB_APPEND)|rebuild|floor_rebuild_sorted|rebuild_sorted_ratio|-|||
rebuild, `rollcall rebuild` process|rebuild_cli|floor_rebuild_naive||-|||
verify (ratio: to rebuild)|verify|rebuild|verify_rebuild_ratio|r|>=|0.5|>= 0.5x rebuild
rebuild vs release 1 (floor column: a998917's, same workload, same run)|rebuild|r1_rebuild|rebuild_vs_r1_ratio|r|>=|0.9|>= 0.9x release 1
verify vs release 1 (floor column: a998917's)|verify|r1_verify|verify_vs_r1_ratio|r|>=|0.9|>= 0.9x release 1
verify, `rollcall verify` process|verify_cli|||-|||
roster by name with figures|students|floor_students|students_ratio|r|<=|1.5|<= 1.5x floor
one student's record|student|floor_student|student_ratio|v|<|50|< 50 us
a day's present/absent|day|floor_day|day_ratio|v|<|2|< 2 ms
`rollcall students` process|cli_students|||-|||
`rollcall student` process|cli_student|||-|||
`rollcall day` process|cli_day|||-|||
store after the import|bytes_per_event|floor_bytes_per_event|bytes_per_event_ratio|v|<=|200|<= 200 B/event
store after `compact`|compacted_bytes_per_event|floor_bytes_per_event||v|<=|200|<= 200 B/event
store, pages in use after rebuild|rebuilt_used_bytes_per_event|floor_compact_used_bytes_per_event||-|||
peak RSS of a CLI query, large workload|rss_cli_max|||v|<|32|< 32 MB
`rollcall report`, school year, process (floor column: sqlite3 GROUP BY)|report_process|report_sqlite3|report_vs_sqlite3_ratio|r|<=|1.0|<= 1.0x sqlite3
report in-process (floor: raw cursors over its records)|report_inproc|floor_report_scan|report_inproc_ratio|r|<=|2.0|<= 2x raw scan
EOF
	peer_rows
	cat <<'EOF'
Report screen: new range or sort, key to redraw, median|report_key_wall|||v|<|16|< 16 ms (one frame)
Report screen: slowest key (a range not kept yet)|report_key_max|||v|<|16|< 16 ms (one frame)
kiosk: card scan to greeting, CPU (commit included), 10k students|kiosk_scan_cpu|||v|<|5|< 5 ms
one student's history at a 1M-event log (events: history_1m_events)|history_1m_median|||v|<|1000|< 1 ms
publish catch-up, school year (floor: a bare cnats async publisher)|ship_publish|ship_bare_pub|ship_publish_ratio|r|>=|0.7|>= 0.7x bare cnats
publish catch-up (floor: the bare publisher sending publish's two headers)|ship_publish|ship_bare_pub_headed|ship_publish_headed_ratio|-|||
replica catch-up, commits included (floor: a bare cnats pull consumer)|ship_replica|ship_bare_pull|ship_replica_ratio|r|>=|0.7|>= 0.7x bare cnats
follow: a durable command on the source to the replica's read side, median|ship_follow_median|||v|<|100|< 100 ms
follow, p99|ship_follow_p99|||v|<|1000|< 1 s
TUI: check-in filter keystroke, CPU, 10k students|tui_keystroke_cpu|||v|<|1|< 1 ms
TUI: start to first painted screen, large|tui_first_paint|||v|<|50|< 50 ms
TUI: peak RSS, idle, large workload|tui_rss|||v|<|32|< 32 MB
EOF
}

# issue 14: every query and format as a process beside the sqlite3 shell
# (peers.sh), and a day within 2x of one student.
peer_rows() {
	echo "start-up alone: \`rollcall --version\` vs \`sqlite3 -version\`|startup_process|startup_sqlite3|startup_vs_sqlite3_ratio|-|||"
	for q in students student day report history status; do
		for f in table csv json; do
			m=$f
			[ $f = table ] && m=column
			echo "\`$q\`, $f: process vs \`sqlite3 -$m\`|${q}_${f}_process|${q}_${f}_sqlite3|${q}_${f}_vs_sqlite3_ratio|r|<=|1.0|<= 1.0x sqlite3"
		done
	done
	for f in table csv json; do
		echo "\`day\` vs \`student\`, $f, processes (floor column: \`student\`)|day_${f}_process|student_${f}_process|day_vs_student_${f}_ratio|r|<=|2.0|<= 2x student"
	done
}

spec | awk -F'|' -v res="$res" -v size="$size" '
BEGIN {
	while ((getline line < res) > 0) {
		split(line, f, " ")
		v[f[1]] = f[2]
		u[f[1]] = f[3]
	}
	printf "Workload %s: %s students, %s days, %s events.  ", size,
	    v["workload_students"], v["workload_days"], v["workload_events"]
	printf "Disk load: a 4 KiB write + fdatasync took %s ms at the " \
	    "start, %s ms before the check-in pairs, %s ms before the " \
	    "10k/1M pairs, %s ms at the end (0.1-0.3 ms when quiet; when the " \
	    "disk is the bottleneck latency ratios shrink toward 1).\n\n",
	    v["disk_fsync_before"], v["disk_fsync_checkin"],
	    v["disk_fsync_flat"], v["disk_fsync_after"]
	print "| figure | rollcall | raw-LMDB floor | comparison | target | met |"
	print "|---|---|---|---|---|---|"
}
function cell(n) {
	if (n == "" || !(n in v))
		return ""
	return v[n] " " u[n]
}
function met(x, op, lim) {
	if (x == "" || x == "nan")
		return "?"
	if (op == ">=") return x + 0 >= lim + 0 ? "yes" : "**no**"
	if (op == "<=") return x + 0 <= lim + 0 ? "yes" : "**no**"
	if (op == "<") return x + 0 < lim + 0 ? "yes" : "**no**"
	return ""
}
{
	ok = ""
	if ($5 == "r")
		ok = met(v[$4], $6, $7)
	else if ($5 == "v")
		ok = met(v[$2], $6, $7)
	printf "| %s | %s | %s | %s | %s | %s |\n", $1, cell($2), cell($3),
	    cell($4), $8, ok
}'
