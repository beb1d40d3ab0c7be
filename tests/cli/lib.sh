# Shared helpers for the command-line tests. Source it after setting BIN.
set -u
SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)
failures=0
checks=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/custody-cli-XXXXXX")
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT

# run EXPECTED_EXIT DESCRIPTION -- COMMAND...: runs COMMAND with a timeout,
# captures stdout/stderr into $out/$err, checks the exit code.
run() {
  local want=$1 desc=$2
  shift 3
  checks=$((checks + 1))
  set +e
  timeout 60 "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  rc=$?
  set -e
  out=$(cat "$WORK/stdout")
  err=$(cat "$WORK/stderr")
  if [[ $rc -ne $want ]]; then
    echo "FAIL  $desc: exit $rc, want $want"
    echo "      stdout: ${out:0:400}"
    echo "      stderr: ${err:0:400}"
    failures=$((failures + 1))
    return 1
  fi
  echo "ok    $desc (exit $rc)"
}

# expect_err SUBSTRING: the last run printed exactly one stderr line containing it.
expect_err() {
  checks=$((checks + 1))
  local lines
  lines=$(printf '%s' "$err" | grep -c '' || true)
  if [[ "$err" != *"$1"* || $lines -ne 1 ]]; then
    echo "FAIL  stderr should be one line containing '$1'; got $lines lines: $err"
    failures=$((failures + 1))
    return 1
  fi
}

expect_out() {
  checks=$((checks + 1))
  if [[ "$out" != *"$1"* ]]; then
    echo "FAIL  stdout should contain '$1'; got: ${out:0:600}"
    failures=$((failures + 1))
    return 1
  fi
}

# json_field EXPR: evaluates a Python expression on the last stdout parsed as JSON (as `j`).
json_field() {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$WORK/stdout"
}

expect_eq() {
  checks=$((checks + 1))
  if [[ "$1" != "$2" ]]; then
    echo "FAIL  $3: got '$1', want '$2'"
    failures=$((failures + 1))
    return 1
  fi
}

make_model() {
  local dir=$1
  mkdir -p "$dir/weights" "$dir/tokenizer/extra"
  head -c 300000 /dev/urandom >"$dir/weights/model-00001.bin"
  head -c 200000 /dev/urandom >"$dir/weights/model-00002.bin"
  echo '{"hidden": 64}' >"$dir/config.json"
  printf 'a\nb\n' >"$dir/tokenizer/vocab.txt"
  echo 'merges' >"$dir/tokenizer/extra/merges.txt"
  : >"$dir/empty.txt"
}

finish() {
  echo "$((checks - failures))/$checks checks passed"
  [[ $failures -eq 0 ]]
}
