# Writes the engine benchmark's stack: 33 busybox services in 12 profiles with 1-second
# healthchecks and a realistic depends_on graph whose critical path is a service_healthy chain of 5.
param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][string] $Project, [string] $Image = 'datamancy-test/busybox:1')

$profiles = 'core', 'observability', 'auth', 'datastores', 'management', 'ai', 'backup', 'apps', 'media', 'automation', 'tools', 'maintenance'
# name -> (profile, dependencies); the chain proxy <- auth <- session <- app <- api is the critical path.
$graph = [ordered]@{
    proxy = 'core', @(); auth = 'auth', @('proxy'); session = 'auth', @('auth'); app = 'apps', @('session'); api = 'apps', @('app')
    metrics = 'observability', @(); alerts = 'observability', @('metrics'); dashboards = 'observability', @('metrics'); logs = 'observability', @(); shipper = 'observability', @('logs')
    sql = 'datastores', @(); docs = 'datastores', @(); columns = 'datastores', @(); pg1 = 'datastores', @(); pg2 = 'datastores', @(); pg3 = 'datastores', @(); cache1 = 'datastores', @(); cache2 = 'datastores', @()
    dbadmin = 'management', @('sql'); docadmin = 'management', @('docs'); containers = 'management', @()
    models = 'ai', @(); chat = 'ai', @('docs', 'models'); snapshots = 'backup', @()
    files = 'apps', @('sql', 'cache1'); vault = 'apps', @('sql'); papers = 'apps', @('pg1', 'cache1'); pdf = 'apps', @(); board = 'apps', @('pg2')
    media = 'media', @(); home = 'automation', @(); browser = 'tools', @(); updater = 'maintenance', @()
}
$lines = [Collections.Generic.List[string]]::new()
$lines.Add('x-base: &base')
$lines.Add("  image: $Image")
$lines.Add('  init: true')
$lines.Add('  command: ["httpd", "-f", "-p", "8080", "-h", "/www"]')
$lines.Add('  cap_drop: [ALL]')
$lines.Add('  stop_grace_period: 5s')
$lines.Add('  healthcheck:')
$lines.Add('    test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]')
$lines.Add('    interval: 1s')
# A check that waits its turn for the CPU must not count as a failure: on a 2-core machine 33 checks a
# second saturate it while containers start. Both sides of the bench run the same checks.
$lines.Add('    timeout: 10s')
$lines.Add('    retries: 3')
$lines.Add('services:')
foreach ($name in $graph.Keys) {
    $profile, $deps = $graph[$name]
    $lines.Add("  ${name}:")
    $lines.Add('    <<: *base')
    $lines.Add("    profiles: [$profile]")
    if ($deps.Count) {
        $lines.Add('    depends_on:')
        foreach ($dep in $deps) { $lines.Add("      ${dep}: {condition: service_healthy}") }
    }
}
if ($graph.Count -ne 33 -or ($graph.Values | ForEach-Object { $_[0] } | Sort-Object -Unique).Count -ne $profiles.Count) {
    throw "The bench stack must have 33 services in 12 profiles."
}
New-Item -ItemType Directory -Path $Path -Force | Out-Null
Set-Content (Join-Path $Path 'docker-compose.yml') $lines
Set-Content (Join-Path $Path '.env') "COMPOSE_PROJECT_NAME=$Project`nCOMPOSE_PROFILES=$($profiles -join ',')`n"
