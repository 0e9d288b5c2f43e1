# Like the official image's entrypoint: on an empty data directory, mariadb-install-db, then the
# root and app passwords from the environment, applied through --bootstrap (SQL on stdin, so no
# password shows in a command line); then the server in the foreground.
set -eu
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal >/dev/null
  esc() { printf '%s' "$1" | sed "s/'/''/g"; }
  {
    printf "FLUSH PRIVILEGES;\n"
    printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\n" "$(esc "$MARIADB_ROOT_PASSWORD")"
    printf "CREATE USER 'root'@'%%' IDENTIFIED BY '%s';\n" "$(esc "$MARIADB_ROOT_PASSWORD")"
    printf "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%%' WITH GRANT OPTION;\n"
    printf "CREATE DATABASE vaultwarden;\n"
    printf "CREATE USER 'vaultwarden'@'%%' IDENTIFIED BY '%s';\n" "$(esc "$VAULTWARDEN_DB_PASSWORD")"
    printf "GRANT ALL PRIVILEGES ON vaultwarden.* TO 'vaultwarden'@'%%';\n"
  } | mariadbd --user=mysql --datadir=/var/lib/mysql --bootstrap --skip-networking >/dev/null 2>&1
fi
exec mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=0.0.0.0 --port=3306
