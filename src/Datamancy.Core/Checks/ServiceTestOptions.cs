namespace Datamancy.Checks;

/// <summary>How Test-DatamancyService reaches and judges the services.</summary>
public sealed record ServiceTestOptions(CaddyEndpoint Caddy, bool SkipCertificateCheck, TimeSpan RequestTimeout, int ThrottleLimit)
{
    /// <summary>The DevTools endpoint of the browser that loads each site (-Browser); null: no browser check.</summary>
    public string? BrowserEndpoint { get; init; }

    /// <summary>Whether the browser check saves its screenshot beside last_pass.json (not under -WhatIf).</summary>
    public bool SaveScreenshots { get; init; } = true;

    /// <summary>Swarm: the Container and Dependencies checks and the fingerprint read the swarm services (SwarmLiveStates), not containers.</summary>
    public Orchestrator Orchestrator { get; init; } = Orchestrator.Compose;

    public static readonly ServiceTestOptions Default = new(CaddyEndpoint.Parse(CaddyEndpoint.Default), false, TimeSpan.FromSeconds(10), 8);
}
