# Removes what a test or benchmark project left on the engine, found by its labels: the Compose
# project's containers, volumes and networks, and the backup tool and drill containers and volumes
# Datamancy makes for it. Shared by the Pester files and the benchmark scripts.
function Remove-DockerProject([Parameter(Mandatory)][string] $Project) {
    $containers = foreach ($label in 'com.docker.compose.project', 'io.datamancy.backup-tool', 'io.datamancy.drill') {
        docker ps -aq --filter "label=$label=$Project"
    }
    $containers = @($containers | Where-Object { $_ })
    if ($containers) { docker rm -f -v $containers | Out-Null }
    $volumes = foreach ($label in 'com.docker.compose.project', 'io.datamancy.drill') {
        docker volume ls -q --filter "label=$label=$Project"
    }
    $volumes = @($volumes | Where-Object { $_ })
    if ($volumes) { docker volume rm $volumes 2>$null | Out-Null }
    # Engine 20.10 may still hold endpoints right after the containers go (moby#42119): retry briefly.
    for ($try = 0; $try -lt 20; $try++) {
        $networks = @(docker network ls -q --filter "label=com.docker.compose.project=$Project")
        if (-not $networks) { break }
        docker network rm $networks 2>$null | Out-Null
        Start-Sleep -Milliseconds 250
    }
}
