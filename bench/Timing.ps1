# Timing helpers shared by the benchmark scripts.
function Measure-Seconds([scriptblock] $Action) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Action | Out-Null
    $watch.Elapsed.TotalSeconds
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $sorted[[int][math]::Floor($sorted.Count / 2)]
}

# The median of a few runs: one run right after a start also measures the healthchecks settling.
function Measure-Median([scriptblock] $Action, [int] $Runs = 5) {
    Get-Median @(1..$Runs | ForEach-Object { Measure-Seconds $Action })
}
