#!/usr/bin/env bash
# The store and log unit tests again on a real PostgreSQL server.
# Usage: postgres_test.sh CUSTODY_TESTS_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/pg_server.sh"
tests=$1
pg_start
trap pg_stop EXIT
echo "PostgreSQL at $PG_URI"
CUSTODY_TEST_POSTGRES=$PG_URI "$tests" --gtest_filter='*postgresql*' --gtest_brief=1
