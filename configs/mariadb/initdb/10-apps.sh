# Sourced (not executed) by the mariadb entrypoint on an empty data volume: one database and
# one user per app sharing this server. Passwords come from the container environment.
# docker_process_sql is the entrypoint's helper; it connects as root over the socket.

docker_process_sql --database=mysql <<-EOSQL
	CREATE DATABASE IF NOT EXISTS \`nextcloud\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
	CREATE USER IF NOT EXISTS 'nextcloud'@'%' IDENTIFIED BY '${NEXTCLOUD_DB_PASSWORD}';
	GRANT ALL PRIVILEGES ON \`nextcloud\`.* TO 'nextcloud'@'%';

	CREATE DATABASE IF NOT EXISTS \`vaultwarden\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	CREATE USER IF NOT EXISTS 'vaultwarden'@'%' IDENTIFIED BY '${VAULTWARDEN_DB_PASSWORD}';
	GRANT ALL PRIVILEGES ON \`vaultwarden\`.* TO 'vaultwarden'@'%';

	FLUSH PRIVILEGES;
EOSQL
