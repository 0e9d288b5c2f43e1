# The profile membership of DESIGN.md: the specification the bundled stack is tested against.
@{
    core          = @('caddy')
    observability = @('prometheus', 'alertmanager', 'grafana', 'loki', 'promtail')
    auth          = @('ldap', 'authelia')
    datastores    = @('mariadb', 'mongodb', 'clickhouse', 'paperless-postgres', 'planka-postgres', 'outline-postgres', 'redis', 'outline-redis')
    management    = @('adminer', 'mongo-express', 'portainer')
    ai            = @('localai', 'librechat')
    backup        = @('kopia')
    apps          = @('nextcloud', 'vaultwarden', 'paperless', 'stirling-pdf', 'planka', 'outline')
    media         = @('jellyfin')
    automation    = @('homeassistant')
    tools         = @('browserless', 'benthos', 'docs-indexer', 'mkdocs', 'test-runner')
    maintenance   = @('watchtower')
}
