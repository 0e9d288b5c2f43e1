namespace Datamancy.Checks;

/// <summary>How Test-DatamancyService reaches and judges the services.</summary>
public sealed record ServiceTestOptions(CaddyEndpoint Caddy, bool SkipCertificateCheck, TimeSpan RequestTimeout, int ThrottleLimit)
{
    public static readonly ServiceTestOptions Default = new(CaddyEndpoint.Parse(CaddyEndpoint.Default), false, TimeSpan.FromSeconds(10), 8);
}
