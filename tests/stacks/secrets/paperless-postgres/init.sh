# Like the official image's entrypoint, as the postgres user: initdb on an empty data directory
# with POSTGRES_USER as superuser and POSTGRES_PASSWORD (through a private file, not a command
# line), trust over the local socket and SCRAM over TCP; then the server in the foreground.
set -eu
export PGDATA=/var/lib/postgresql/data
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  umask 077
  printf '%s' "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f /tmp/pwfile
  postgres --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE DATABASE $POSTGRES_DB;
SQL
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
