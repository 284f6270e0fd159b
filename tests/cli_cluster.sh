#!/bin/bash
# A province's backlog on a real Slurm cluster (issue 17): Debian's
# slurmctld, three slurmd "nodes" and munged, started by this test with
# their configuration, keys, sockets, state and logs in a temporary
# folder (SLURM_CONF; nothing in /etc), in a network namespace of its own
# whose only interface is loopback, so that nothing listens or sends
# anywhere else.  'sohoa cluster submit' runs a 3-shard ingest and the
# merge after it, with document type rules of their own (--doctypes: a
# type no built-in rule knows); the merged archive must equal one 'sohoa
# ingest' of the same files with the same rules.  A second run has one shard's sohoa SIGKILLed mid-run (a
# node dying): Slurm marks the task failed, the merge does not run,
# 'sohoa cluster status' says so, 'submit --resume' submits that shard
# alone, it finishes from where it was, and the merge equals one ingest
# again.  Meanwhile a second ingest of a running shard is refused by its
# lock.  Every daemon is stopped by its PID.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
need="slurmctld (apt-get install slurmctld), slurmd (slurmd), sbatch/scontrol (slurm-client), munged/mungekey (munge), ip (iproute2), unshare (util-linux), sqlite3"
for c in slurmctld slurmd sbatch scontrol squeue scancel munged mungekey ip unshare sqlite3; do
	command -v $c >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v $c >/dev/null ||
		{ echo "cli_cluster: needs '$c': $need" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin:/sbin
[ "$(id -u)" -eq 0 ] || { echo "cli_cluster: needs root (slurmd starts jobs as their user, munged and slurmd as root here)" >&2; exit 1; }

# a network namespace of our own: loopback only
if [ -z "${SOHOA_CLUSTER_NETNS:-}" ]; then
	unshare --net true 2>/dev/null ||
		{ echo "cli_cluster: cannot make a network namespace (unshare --net: $(unshare --net true 2>&1)); the test runs the cluster in one so that it listens on loopback only" >&2; exit 1; }
	exec unshare --net env SOHOA_CLUSTER_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
# Slurm resolves "127.0.0.1" with getaddrinfo(AI_ADDRCONFIG), which finds
# no address on a host whose only interface is loopback ("Unable to
# resolve"): a documentation address (RFC 5737) on this namespace's own
# loopback makes it answer.  No packet can leave the namespace.
ip addr add 192.0.2.1/32 dev lo

T=$(mktemp -d /tmp/cli_cluster.XXXXXX)
chmod 755 "$T"
fails=0
fail() { echo "cli_cluster: FAIL: $*" >&2; fails=$((fails + 1)); }
daemon_pids() { cat "$T"/slurmd-n*.pid "$T"/slurmctld.pid "$T"/munge/pid 2>/dev/null; }
cleanup() {
	local p i
	if [ -f "$T/slurmctld.pid" ]; then
		scancel --quiet --user="$(id -un)" 2>/dev/null
		for i in $(seq 1 50); do
			[ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
			sleep 0.2
		done
	fi
	for p in $(daemon_pids); do kill "$p" 2>/dev/null; done
	for i in $(seq 1 50); do
		for p in $(daemon_pids); do kill -0 "$p" 2>/dev/null && break; p=; done
		[ -z "$p" ] && break
		sleep 0.1
	done
	for p in $(daemon_pids); do kill -9 "$p" 2>/dev/null; done
	if [ $fails -ne 0 ]; then
		for f in "$T"/log/*.log "$T"/*.cluster/logs/*; do
			[ -f "$f" ] && { echo "== $f" >&2; tail -15 "$f" >&2; }
		done
	fi
	rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/lib_cluster.sh"

# munged: its own key, socket, pid, seed and log
mkdir -m 700 "$T/munge"
mungekey --create --keyfile="$T/munge/key" || { echo "cli_cluster: mungekey failed" >&2; exit 1; }
munged --force --socket="$T/munge/sock" --key-file="$T/munge/key" \
    --pid-file="$T/munge/pid" --seed-file="$T/munge/seed" \
    --log-file="$T/munge/log" || { fail "munged did not start: $(tail -3 "$T/munge/log")"; exit 1; }

# the cluster: a controller and three nodes on this host
H=$(hostname -s)
mkdir -p "$T/state" "$T/log" "$T/spool"
export SLURM_CONF=$T/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=sohoatest
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=16817
AuthType=auth/munge
AuthInfo=socket=$T/munge/sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=600
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool/%n
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd-%n.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd-%n.log
NodeName=n1 NodeHostname=$H NodeAddr=127.0.0.1 Port=17001 CPUs=1 State=UNKNOWN
NodeName=n2 NodeHostname=$H NodeAddr=127.0.0.1 Port=17002 CPUs=1 State=UNKNOWN
NodeName=n3 NodeHostname=$H NodeAddr=127.0.0.1 Port=17003 CPUs=1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
t0=$(date +%s.%N)
slurmctld -i || { fail "slurmctld did not start"; exit 1; }
for n in n1 n2 n3; do
	mkdir -p "$T/spool/$n"
	slurmd -N $n || { fail "slurmd $n did not start"; exit 1; }
done
for i in $(seq 1 100); do
	sinfo -h -o '%T %D' 2>/dev/null | grep -q '^idle 3$' && break
	sleep 0.1
done
sinfo -h -o '%T %D' | grep -q '^idle 3$' || { fail "the nodes are not up: $(sinfo 2>&1)"; exit 1; }
up=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

cd "$T"
make_backlog in 3 || { echo "cli_cluster: needs python3-pil and fonts-dejavu-core" >&2; exit 1; }
"$BIN" init -q --archive ref && "$BIN" ingest -q --archive ref -j 1 in 2>/dev/null
# rules of this run's own: the register pages become a type of their own
cp -r "$SRC/doctypes" dt
printf 'type = so_dang_ky\ntitle = SỔ ĐĂNG KÝ KHAI SINH\n\n[field so]\ntype = text\nlabel = Sổ đăng ký khai sinh số\n' >dt/so_dang_ky.conf
"$BIN" init -q --archive refdt && "$BIN" ingest -q --archive refdt --doctypes dt -j 1 in 2>/dev/null
[ "$(sqlite3 refdt/sohoa.db "SELECT count(*) FROM documents WHERE doc_type = 'so_dang_ky'")" -gt 0 ] ||
	fail "the run's own rules read no page as theirs"

# job_state ID: Slurm's word for a job (or "" when it does not know it)
job_state() { scontrol -o show job "$1" 2>/dev/null | sed -n 's/.* JobState=\([A-Z_]*\).*/\1/p' | head -1; }
# wait_job ID SECONDS: until the job has ended; its state on stdout
wait_job() {
	local s i
	for i in $(seq 1 $(($2 * 5))); do
		s=$(job_state "$1")
		case $s in PENDING|RUNNING|CONFIGURING|COMPLETING|"") sleep 0.2 ;; *) echo "$s"; return ;; esac
	done
	echo "TIMEOUT($s)"
}

# run 1: submit, wait for the merge, compare
"$BIN" cluster submit --archive prov1 --shards 3 --doctypes dt -- --cpus-per-task=1 in >sub1.out 2>sub1.err ||
	fail "submit: $(cat sub1.err)"
read -r array1 merge1 <sub1.out
[ -n "${merge1:-}" ] || { fail "submit printed no job ids: $(cat sub1.out sub1.err)"; exit 1; }
grep -q '^#SBATCH --array=0-2$' prov1.cluster/ingest.sbatch || fail "the script is not a 3-task array"
grep -q 'ingest -v --archive "$(shard_dir "$k")" --shard "$k/$n"' prov1.cluster/ingest.sbatch || fail "the script does not ingest a shard"
grep -q -- '--jobs "${SLURM_CPUS_PER_TASK:-1}"' prov1.cluster/ingest.sbatch || fail "the script does not take the task's CPUs"
grep -q -- "--doctypes '$T/dt'" prov1.cluster/ingest.sbatch || fail "the ingest script does not name the rules"
grep -q -- "--doctypes '$T/dt'" prov1.cluster/merge.sbatch || fail "the merge script does not name the rules"
scontrol -o show job "$merge1" | grep -q "Dependency=afterok:${array1}" || fail "the merge does not wait for the array: $(scontrol -o show job "$merge1")"
s=$(wait_job "$merge1" 240)
[ "$s" = COMPLETED ] || fail "run 1: the merge job ended $s: $(cat prov1.cluster/logs/merge-*.out 2>/dev/null | tail -3)"
for k in 0 1 2; do
	[ "$(job_state "${array1}_$k")" = COMPLETED ] || fail "run 1: shard $k ended $(job_state "${array1}_$k")"
	check_shard_files "prov1.cluster/shard-00$k-of-003" $k 3 in
done
same_archive prov1 refdt "run 1 (--doctypes)"
"$BIN" cluster status --archive prov1 >st1.out 2>&1 || fail "status: $(cat st1.out)"
[ "$(grep -c '^[0-2]/3 .* done (COMPLETED)$' st1.out)" = 3 ] || fail "status after run 1: $(cat st1.out)"
grep -q "^$(shard_of HS-B/hong.tif 3)/3 .* 0 pages, 1 file " st1.out || fail "status: the unreadable file: $(cat st1.out)"
grep -q "^merge: job $merge1 done" st1.out || fail "status: the merge: $(cat st1.out)"

# run 2: the shard holding the 5-page TIFF is killed after a page or two
big=$(shard_of HS-A/so.tif 3)
shard=prov2.cluster/shard-00$big-of-003
"$BIN" cluster submit --archive prov2 --shards 3 -- --cpus-per-task=1 in >sub2.out 2>sub2.err ||
	fail "submit 2: $(cat sub2.out sub2.err)"
read -r array2 merge2 <sub2.out
stored() {
	[ -f "$shard/sohoa.db" ] || { echo 0; return; }
	sqlite3 -cmd '.timeout 5000' "$shard/sohoa.db" "SELECT count(*) FROM pages WHERE file_id IN (SELECT id FROM files WHERE name = 'so.tif')" 2>/dev/null || echo 0
}
for i in $(seq 1 600); do
	[ "$(stored)" -ge 1 ] 2>/dev/null && break
	sleep 0.1
done
pid=$(head -1 "$shard/.ingest.lock" 2>/dev/null)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || { fail "run 2: shard $big's sohoa is not running (pages: $(stored))"; exit 1; }
# held still while the checks below run, so that a loaded machine cannot
# let it finish its last page before the kill
kill -STOP "$pid"
# status reads a shard being written without touching its WAL
"$BIN" cluster status --archive prov2 --json >st-run.json 2>st-run.err || fail "status during the run: $(cat st-run.err)"
"$PY" - "$big" st-run.json <<'PYEOF' || fail "status during the run: $(cat st-run.json)"
import json, sys
big, s = int(sys.argv[1]), json.load(open(sys.argv[2]))
sh = s['shards'][big]
assert sh['state'] == 'running' and sh['slurm'] == 'RUNNING', sh
assert sh['pages_total'] is not None and sh['pages_done'] <= sh['pages_total'], sh
assert s['merge']['state'] == 'pending', s['merge']
PYEOF
# its archive has one writer: a second ingest is refused clearly
"$BIN" ingest --archive "$shard" --shard "$big/3" in >/dev/null 2>second.err && fail "a second ingest wrote a running shard"
grep -q "another sohoa (pid $pid) is writing to" second.err || fail "second ingest: $(cat second.err)"
kill -9 "$pid"
s=$(wait_job "${array2}_$big" 60)
[ "$s" = FAILED ] || fail "run 2: the killed shard's task ended $s"
for k in 0 1 2; do
	[ $k -eq $big ] && continue
	s=$(wait_job "${array2}_$k" 120)
	[ "$s" = COMPLETED ] || fail "run 2: shard $k ended $s"
done
before=$(stored)
[ "$before" -lt 5 ] || fail "run 2: the shard was killed after its last page ($before stored)"
sleep 1
[ "$(job_state "$merge2")" = PENDING ] || fail "run 2: the merge did not wait: $(job_state "$merge2")"
[ -e prov2/sohoa.db ] && fail "run 2: the merge ran without every shard"
"$BIN" cluster status --archive prov2 --json >st2.json 2>st2.err || fail "status 2: $(cat st2.err)"
left=$("$PY" - "$big" st2.json <<'PYEOF'
import json, sys
big, s = int(sys.argv[1]), json.load(open(sys.argv[2]))
for sh in s['shards']:
    if sh['shard'] == big:
        assert sh['state'] == 'failed' and sh['slurm'] == 'FAILED', sh
        assert sh['pages_total'] is not None and sh['pages_done'] < sh['pages_total'], sh
        print(sh['pages_total'] - sh['pages_done'])
    else:
        assert sh['state'] == 'done' and sh['pages_done'] == sh['pages_total'], sh
assert s['merge']['state'] == 'pending', s['merge']
PYEOF
) || fail "status after the kill: $(cat st2.json)"
"$BIN" cluster status --archive prov2 >st2.out 2>&1
grep -q "1 shard stopped: 'sohoa cluster submit --resume'" st2.out || fail "status text: $(cat st2.out)"

# resubmitted alone, it finishes from where it was; the merge follows
"$BIN" cluster submit --archive prov2 --resume >res.out 2>res.err || fail "resume: $(cat res.err)"
read -r array3 merge3 <res.out
grep -q "submitted shard $big as job" res.err || fail "resume did not submit shard $big alone: $(cat res.err)"
[ "$(scontrol -o show job "$array3" | sed -n 's/.* ArrayTaskId=\([^ ]*\).*/\1/p' | sort -u)" = "$big" ] ||
	fail "resume submitted other tasks: $(scontrol -o show job "$array3")"
[ -z "$(job_state "$merge2")" ] || [ "$(job_state "$merge2")" = CANCELLED ] || fail "the old merge still waits: $(job_state "$merge2")"
s=$(wait_job "$merge3" 240)
[ "$s" = COMPLETED ] || fail "run 2: the merge after the resume ended $s: $(cat prov2.cluster/logs/merge-*.out 2>/dev/null | tail -3)"
# it read only what was left: no page stored before the kill again
grep -q "^sohoa: ${left:-?} pages in [0-9]* files to read" prov2.cluster/logs/ingest-"$array3"-"$big".out ||
	fail "the resumed shard did not read just the $left pages left: $(cat prov2.cluster/logs/ingest-"$array3"-"$big".out)"
same_archive prov2 ref "run 2 (a shard killed and resumed)"
"$BIN" cluster submit --archive prov2 --resume >/dev/null 2>res2.err || fail "second resume: $(cat res2.err)"
grep -q "nothing to resume" res2.err || fail "second resume: $(cat res2.err)"

[ $fails -eq 0 ] && echo "cli_cluster: ok (3 slurmd nodes up in ${up}s; killed shard $big after $before of 5 pages, resumed)" || exit 1
